-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2,3,4]")
