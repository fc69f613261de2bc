-- query
INSERT INTO "book" ("writer_id", "title", "pages") SELECT "column1", "column2", "column3" FROM (VALUES ((SELECT "writer_id" FROM "book" LIMIT 0), (SELECT "title" FROM "book" LIMIT 0), (SELECT "pages" FROM "book" LIMIT 0), -1), ($1, $2, $3, 0), ($4, $5, $6, 1), ($7, $8, $9, 2)) AS "v" WHERE "column4" >= 0 ORDER BY "column4" RETURNING "id"
-- args: int64(1), string("A3"), int(1), int64(1), string("A4"), int(2), int64(2), string("B2"), int(3)
