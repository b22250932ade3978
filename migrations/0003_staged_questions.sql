-- Recorded questions waiting to be moved into `questions`: on Node, a server under load writes
-- each batch of records as one row here, a JSON array of rows (src/storage/staged-questions.ts),
-- and moves them into `questions` when the load pauses, before any read, and at start. Writing
-- one string per batch costs a fraction of inserting its rows one by one. Workers write into
-- `questions` directly, so on D1 this table stays empty.
CREATE TABLE question_batches (
  rows TEXT NOT NULL
);
