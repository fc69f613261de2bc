-- query
INSERT INTO "book" ("writer_id", "title", "pages") SELECT "column1", "column2", "column3" FROM (VALUES (?, ?, ?, 0), (?, ?, ?, 1), (?, ?, ?, 2)) AS "v" ORDER BY "column4" RETURNING "id"
-- args: int64(1), string("A3"), int(1), int64(1), string("A4"), int(2), int64(2), string("B2"), int(3)
