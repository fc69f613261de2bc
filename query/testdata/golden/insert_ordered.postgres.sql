INSERT INTO "artist" ("name", "country") SELECT "column1", "column2" FROM (VALUES (CAST($1 AS varchar(100)), CAST($2 AS text), 0), ($3, $4, 1), ($5, $6, 2)) AS "v" ORDER BY "column3" RETURNING "id"

-- args: 6
1: string("Queen")
2: string("UK")
3: string("ABBA")
4: string("SE")
5: string("Unknown")
6: nil
