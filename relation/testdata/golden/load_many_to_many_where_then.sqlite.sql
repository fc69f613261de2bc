-- query
SELECT "id", "title", "year" FROM "movie" ORDER BY "id"

-- query
SELECT "movie_actor"."movie_id", "actor"."id", "actor"."name" FROM "actor" JOIN "movie_actor" ON "movie_actor"."actor_id" = "actor"."id" WHERE "movie_actor"."movie_id" IN (SELECT +value FROM json_each(?)) AND "actor"."name" <> ? ORDER BY "actor"."id"
-- args: string("[1,2,3,4]"), string("Hugo")

-- query
SELECT "movie_actor"."actor_id", "movie"."id", "movie"."title", "movie"."year" FROM "movie" JOIN "movie_actor" ON "movie_actor"."movie_id" = "movie"."id" WHERE "movie_actor"."actor_id" IN (SELECT +value FROM json_each(?)) ORDER BY "movie"."id"
-- args: string("[1,2,4]")
