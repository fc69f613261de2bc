-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (?, ?, ?, ?) ORDER BY "year"
-- args: int64(1), int64(2), int64(3), int64(4)

-- query
SELECT "id", "album_id", "artist_id", "title", "released" FROM "track" WHERE "album_id" IN (?, ?, ?, ?, ?, ?, ?) ORDER BY "id"
-- args: int64(3), int64(4), int64(5), int64(6), int64(1), int64(2), int64(7)
