-- query
SELECT "id", "name" FROM "artist" ORDER BY "id"

-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (?, ?, ?, ?)
-- args: int64(1), int64(2), int64(3), int64(4)
