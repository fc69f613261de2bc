-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "album_id", "artist_id", "title", "released" FROM (SELECT "id", "album_id", "artist_id", "title", "released", ROW_NUMBER() OVER (PARTITION BY "artist_id" ORDER BY "released" DESC) AS "genrepo_rn" FROM "track" WHERE "artist_id" = ANY($1)) AS "genrepo_sub" WHERE "genrepo_rn" <= 2 ORDER BY "artist_id", "genrepo_rn"
-- args: []any{int64(1), int64(2), int64(3), int64(4)}
