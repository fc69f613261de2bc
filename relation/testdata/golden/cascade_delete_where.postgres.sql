-- begin

-- query
SELECT "id", "name" FROM "artist" WHERE "name" >= $1
-- args: string("C")

-- exec
DELETE FROM "track" WHERE "artist_id" = ANY($1)
-- args: []any{int64(3), int64(4)}

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" = ANY($1)
-- args: []any{int64(3), int64(4)}

-- exec
DELETE FROM "track" WHERE "album_id" = ANY($1)
-- args: []any{int64(7)}

-- exec
DELETE FROM "album" WHERE "artist_id" = ANY($1)
-- args: []any{int64(3), int64(4)}

-- exec
DELETE FROM "artist" WHERE "id" = ANY($1)
-- args: []any{int64(3), int64(4)}

-- commit
