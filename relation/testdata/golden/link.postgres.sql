-- exec
INSERT INTO "movie_actor" ("movie_id", "actor_id") VALUES ($1, $2), ($3, $4)
-- args: int64(4), int64(5), int64(4), int64(1)
