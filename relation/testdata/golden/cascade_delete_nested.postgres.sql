-- begin

-- exec
DELETE FROM "track" WHERE "artist_id" = ANY($1)
-- args: []any{int64(1)}

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" = ANY($1)
-- args: []any{int64(1)}

-- exec
DELETE FROM "track" WHERE "album_id" = ANY($1)
-- args: []any{int64(1), int64(2)}

-- exec
DELETE FROM "album" WHERE "artist_id" = ANY($1)
-- args: []any{int64(1)}

-- exec
DELETE FROM "artist" WHERE "id" = $1
-- args: int64(1)

-- commit
