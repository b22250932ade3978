-- Questions readers asked and the feedback they gave. Applied by `wrangler d1 migrations apply`
-- on Workers and automatically at start on Node (src/storage/migrations.ts), so keep to plain
-- statements each ending with a semicolon at the end of a line.

-- One row per answer: `id` is the answer's id (AskResponse.id), which feedback refers to.
-- Never an address or a key. `question_key` is the normalised text that groups repeats.
-- `citations` is a JSON array of { "document", "section" }, each section once.
CREATE TABLE questions (
  id TEXT PRIMARY KEY,
  asked_at INTEGER NOT NULL,
  question TEXT NOT NULL,
  question_key TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'related', 'none')),
  mode TEXT NOT NULL,
  latency_ms REAL NOT NULL,
  generation TEXT NOT NULL,
  citations TEXT NOT NULL DEFAULT '[]'
);
-- Retention and the per-day chart read by time. No other index: every index costs each
-- recorded answer a write, while the dashboard's grouping scans are cheap at this size.
CREATE INDEX questions_by_time ON questions (asked_at);

-- At most one rating per answer: a reader who changes their mind replaces it.
CREATE TABLE feedback (
  answer_id TEXT PRIMARY KEY,
  rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
  comment TEXT,
  rated_at INTEGER NOT NULL
);
CREATE INDEX feedback_by_rating ON feedback (rating, rated_at);
