-- query
SELECT 1 FROM "writer" WHERE "country" IS NULL LIMIT ?
-- args: int64(1)
