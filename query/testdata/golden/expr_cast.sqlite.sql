SELECT CAST("seconds" AS REAL), CAST("plays" AS NUMERIC(12,2)) FROM "track" WHERE CAST("plays" AS TEXT) = ?

-- args: 1
1: string("7")
