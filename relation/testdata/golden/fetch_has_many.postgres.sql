-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" = ANY($1)
-- args: []any{int64(2)}
