-- Smaller rows, because what a row costs to write is most of what recording an answer costs.
--
-- `citations` becomes one JSON object from each document to its cited sections, in citation
-- order, `{"guide":["Why PM","First steps"]}`, instead of an array of { "document", "section" }
-- that repeated each document's name once per section. Rows written before this are converted
-- here; entries without a text document and section are dropped, and a value that is not valid
-- JSON becomes '{}'. (The readers in src/storage/question-log.ts still read the array shape, for
-- rows an older server writes between this migration and its own update.)
UPDATE questions SET citations = '{}' WHERE NOT json_valid(citations);
UPDATE questions SET citations = (
  SELECT json_group_object(document, json(sections)) FROM (
    SELECT json_extract(value, '$.document') AS document, json_group_array(json_extract(value, '$.section')) AS sections
    FROM json_each(questions.citations)
    WHERE CASE WHEN type = 'object' THEN json_type(value, '$.document') = 'text' AND json_type(value, '$.section') = 'text' ELSE 0 END
    GROUP BY document ORDER BY min(key)
  )
) WHERE json_type(citations) = 'array';

-- From now on `question_key` is written only for unanswered rows ('' on answered ones): only
-- they are grouped.

-- No index by time: the dashboard's summary scans the whole table anyway, and retention
-- deletes once a day, while the index cost every recorded answer a second B-tree write.
DROP INDEX questions_by_time;
