-- begin

-- exec
DELETE FROM "movie_actor" WHERE "movie_id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "movie" WHERE "id" = $1
-- args: int64(2)

-- commit
