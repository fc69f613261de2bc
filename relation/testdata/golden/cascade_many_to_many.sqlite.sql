-- begin

-- exec
DELETE FROM "movie_actor" WHERE "movie_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "movie" WHERE "id" = ?
-- args: int64(2)

-- commit
