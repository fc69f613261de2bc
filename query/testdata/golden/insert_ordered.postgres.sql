INSERT INTO "artist" ("name", "country") SELECT "column1", "column2" FROM (VALUES ((SELECT "name" FROM "artist" LIMIT 0), (SELECT "country" FROM "artist" LIMIT 0), -1), ($1, $2, 0), ($3, $4, 1), ($5, $6, 2)) AS "v" WHERE "column3" >= 0 ORDER BY "column3" RETURNING "id"

-- args: 6
1: string("Queen")
2: string("UK")
3: string("ABBA")
4: string("SE")
5: string("Unknown")
6: nil
