-- query
SELECT "movie_id", "actor_id" FROM "movie_actor" WHERE "movie_id" = ? AND "actor_id" IN (?, ?)
-- args: int64(4), int64(5), int64(3)
