-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "album_id", "artist_id", "title", "released" FROM (SELECT "id", "album_id", "artist_id", "title", "released", ROW_NUMBER() OVER (PARTITION BY "artist_id" ORDER BY "released" DESC) AS "genrepo_rn" FROM "track" WHERE "artist_id" IN (SELECT +value FROM json_each(?))) AS "genrepo_sub" WHERE "genrepo_rn" <= ? ORDER BY "artist_id", "genrepo_rn"
-- args: string("[1,2,3,4]"), int64(2)
