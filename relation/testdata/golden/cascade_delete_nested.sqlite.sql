-- begin

-- exec
DELETE FROM "track" WHERE "artist_id" IN (?)
-- args: int64(1)

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (?)
-- args: int64(1)

-- exec
DELETE FROM "track" WHERE "album_id" IN (?, ?)
-- args: int64(1), int64(2)

-- exec
DELETE FROM "album" WHERE "artist_id" IN (?)
-- args: int64(1)

-- exec
DELETE FROM "artist" WHERE "id" = ?
-- args: int64(1)

-- commit
