SELECT "c1" FROM (SELECT "title" AS "c1" FROM "track" WHERE "likes" > $1) AS "titles" ORDER BY "c1"

-- args: 1
1: int64(1)
