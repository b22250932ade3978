-- Smaller rows, because what a row costs to write is most of what recording an answer costs.
-- Citations become one JSON object from each document to its cited sections,
-- `{"guide":["Why PM","First steps"]}`, instead of an array of { "document", "section" } that
-- repeated each document's name once per section. Rows written before this are converted here.
UPDATE questions SET citations = (
  SELECT json_group_object(document, json(sections)) FROM (
    SELECT json_extract(value, '$.document') AS document, json_group_array(json_extract(value, '$.section')) AS sections
    FROM json_each(questions.citations) GROUP BY document ORDER BY min(key)
  )
) WHERE json_type(citations) = 'array';

-- No index by time either: the dashboard's summary scans the whole table anyway, and retention
-- deletes once a day, while the index cost every recorded answer a second B-tree write.
DROP INDEX questions_by_time;
