-- query
SELECT "movie_actor"."movie_id", "actor"."id", "actor"."name" FROM "actor" JOIN "movie_actor" ON "movie_actor"."actor_id" = "actor"."id" WHERE "movie_actor"."movie_id" = ANY($1)
-- args: []any{int64(2)}
