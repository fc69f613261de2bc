-- begin

-- query
SELECT "id", "name" FROM "artist" WHERE "name" >= ?
-- args: string("C")

-- exec
DELETE FROM "track" WHERE "artist_id" IN (?, ?)
-- args: int64(3), int64(4)

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (?, ?)
-- args: int64(3), int64(4)

-- exec
DELETE FROM "track" WHERE "album_id" IN (?)
-- args: int64(7)

-- exec
DELETE FROM "album" WHERE "artist_id" IN (?, ?)
-- args: int64(3), int64(4)

-- exec
DELETE FROM "artist" WHERE "id" IN (?, ?)
-- args: int64(3), int64(4)

-- commit
