-- query
INSERT INTO "book" ("writer_id", "title", "pages") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?) RETURNING "id"
-- args: int64(1), string("A3"), int(1), int64(1), string("A4"), int(2), int64(2), string("B2"), int(3)
