-- query
SELECT "id", "artist_id", "title", "year" FROM "album" ORDER BY "id"

-- query
SELECT "id", "name" FROM "artist" WHERE "id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2,3]")
