SELECT "title" FROM "track" AS "other" WHERE lower("title") = $1

-- args: 1
1: string(" waterloo ")
