-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "id" = ANY($1)
-- args: []any{int64(4)}
