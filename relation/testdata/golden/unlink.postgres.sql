-- exec
DELETE FROM "movie_actor" WHERE "movie_id" = $1 AND "actor_id" = ANY($2)
-- args: int64(4), []any{int64(5), int64(1)}
