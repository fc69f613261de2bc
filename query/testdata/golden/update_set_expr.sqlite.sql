UPDATE "track" SET "likes" = "plays", "plays" = "plays" + ? WHERE "id" IN (SELECT +value FROM json_each(?)) RETURNING "id", "plays"

-- args: 2
1: int(1)
2: string("[1,2]")
