SELECT "code", "name" FROM "label" WHERE "code" IN (SELECT "label_code" FROM "track" WHERE "plays" > ?) AND "name" <> ?

-- args: 2
1: int64(1000)
2: string("")
