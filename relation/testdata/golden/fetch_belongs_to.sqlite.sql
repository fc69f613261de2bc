-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "id" IN (?)
-- args: int64(4)
