SELECT "title" FROM "track" AS "other" WHERE lower("title") = ?

-- args: 1
1: string(" waterloo ")
