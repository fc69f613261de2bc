-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (SELECT +value FROM json_each(?)) ORDER BY "year"
-- args: string("[1,2,3,4]")

-- query
SELECT "id", "album_id", "artist_id", "title", "released" FROM "track" WHERE "album_id" IN (SELECT +value FROM json_each(?)) ORDER BY "id"
-- args: string("[3,4,5,6,1,2,7]")
