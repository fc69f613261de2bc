-- query
SELECT "id", "title", "year" FROM "movie" ORDER BY "id"

-- query
SELECT "movie_actor"."movie_id", "actor"."id", "actor"."name" FROM "actor" JOIN "movie_actor" ON "movie_actor"."actor_id" = "actor"."id" WHERE "movie_actor"."movie_id" IN (SELECT +value FROM json_each(?)) ORDER BY "actor"."name"
-- args: string("[1,2,3,4]")
