SELECT "code", "name" FROM "label" WHERE "code" IN (SELECT "label_code" FROM "track" WHERE "plays" > $1) AND "name" <> $2

-- args: 2
1: int64(1000)
2: string("")
