-- Recorded questions waiting to be moved into `questions`: on Node with a libSQL server (a
-- local file stages them in a file beside it instead), a server under load writes each batch
-- of records as one row here, their question lines (UTF-8, one JSON array of a
-- record's values per line, see src/storage/staged-questions.ts) as they came, and moves them
-- into `questions` when the load pauses, before any read, and at start. Writing the bytes of a
-- batch as they are costs a fraction of inserting its rows one by one. Workers write into
-- `questions` directly, so on D1 this table stays empty.
CREATE TABLE question_batches (
  lines BLOB NOT NULL
);
