SELECT CAST("seconds" AS double precision), CAST("plays" AS numeric(12,2)) FROM "track" WHERE CAST("plays" AS text) = $1

-- args: 1
1: string("7")
