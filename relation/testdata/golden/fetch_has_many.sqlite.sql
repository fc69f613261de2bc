-- query
SELECT "id", "artist_id", "title", "year" FROM "album" WHERE "artist_id" IN (?)
-- args: int64(2)
