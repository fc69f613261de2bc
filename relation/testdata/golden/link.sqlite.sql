-- exec
INSERT INTO "movie_actor" ("movie_id", "actor_id") VALUES (?, ?), (?, ?)
-- args: int64(4), int64(5), int64(4), int64(1)
