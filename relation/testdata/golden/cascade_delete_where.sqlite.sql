-- begin

-- query
SELECT "id", "name" FROM "artist" WHERE "name" >= ?
-- args: string("C")

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (SELECT +value FROM json_each(?))
-- args: string("[3,4]")

-- exec
DELETE FROM "track" WHERE "album_id" IN (?)
-- args: int64(7)

-- exec
DELETE FROM "album" WHERE "artist_id" IN (SELECT +value FROM json_each(?))
-- args: string("[3,4]")

-- exec
DELETE FROM "track" WHERE "artist_id" IN (SELECT +value FROM json_each(?))
-- args: string("[3,4]")

-- exec
DELETE FROM "artist" WHERE "id" IN (SELECT +value FROM json_each(?))
-- args: string("[3,4]")

-- commit
