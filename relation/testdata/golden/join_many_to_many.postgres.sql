-- query
SELECT "movie"."title", "actor"."name" FROM "movie" JOIN "movie_actor" ON "movie_actor"."movie_id" = "movie"."id" JOIN "actor" ON "actor"."id" = "movie_actor"."actor_id" ORDER BY "movie"."title", "actor"."name"
