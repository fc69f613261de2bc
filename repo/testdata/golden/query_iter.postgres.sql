-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "writer_id" = ANY($1) ORDER BY "id"
-- args: []any{int64(1), int64(2)}
