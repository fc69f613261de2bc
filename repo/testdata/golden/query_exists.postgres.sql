-- query
SELECT 1 FROM "writer" WHERE "country" IS NULL LIMIT 1
