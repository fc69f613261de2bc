-- query
SELECT "id", "artist_id", "title", "year" FROM "album" ORDER BY "id"

-- query
SELECT "id", "name" FROM "artist" WHERE "id" IN (?, ?, ?)
-- args: int64(1), int64(2), int64(3)
