DELETE FROM "track" WHERE "id" IN (SELECT +value FROM json_each(?)) RETURNING "id", "title"

-- args: 1
1: string("[4,5]")
