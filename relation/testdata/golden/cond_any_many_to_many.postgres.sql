-- query
SELECT "id", "title", "year" FROM "movie" WHERE EXISTS (SELECT 1 FROM "movie_actor" JOIN "actor" ON "actor"."id" = "movie_actor"."actor_id" WHERE "movie_actor"."movie_id" = "movie"."id" AND "actor"."name" = $1) ORDER BY "id"
-- args: string("Keanu")
