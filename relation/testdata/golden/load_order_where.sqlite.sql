-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (SELECT +value FROM json_each(?)) AND "year" > ? ORDER BY "year" DESC
-- args: string("[1,2,3,4]"), int(1965)
