-- exec
DELETE FROM "movie_actor" WHERE "movie_id" = ? AND "actor_id" IN (SELECT +value FROM json_each(?))
-- args: int64(4), string("[5,1]")
