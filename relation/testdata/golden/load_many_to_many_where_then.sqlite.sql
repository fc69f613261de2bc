-- query
SELECT "id", "title", "year" FROM "movie" ORDER BY "id"

-- query
SELECT "movie_actor"."movie_id", "actor"."id", "actor"."name" FROM "actor" JOIN "movie_actor" ON "movie_actor"."actor_id" = "actor"."id" WHERE "movie_actor"."movie_id" IN (?, ?, ?, ?) AND "actor"."name" <> ? ORDER BY "actor"."id"
-- args: int64(1), int64(2), int64(3), int64(4), string("Hugo")

-- query
SELECT "movie_actor"."actor_id", "movie"."id", "movie"."title", "movie"."year" FROM "movie" JOIN "movie_actor" ON "movie_actor"."movie_id" = "movie"."id" WHERE "movie_actor"."actor_id" IN (?, ?, ?) ORDER BY "movie"."id"
-- args: int64(1), int64(2), int64(4)
