-- query
SELECT "id", "title", "year" FROM "movie" ORDER BY "id"

-- query
SELECT "movie_actor"."movie_id", "actor"."id", "actor"."name" FROM "actor" JOIN "movie_actor" ON "movie_actor"."actor_id" = "actor"."id" WHERE "movie_actor"."movie_id" IN (?, ?, ?, ?) ORDER BY "actor"."name"
-- args: int64(1), int64(2), int64(3), int64(4)
