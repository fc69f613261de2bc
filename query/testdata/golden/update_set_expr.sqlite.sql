UPDATE "track" SET "likes" = "plays", "plays" = "plays" + ? WHERE "id" IN (?, ?) RETURNING "id", "plays"

-- args: 3
1: int(1)
2: int64(1)
3: int64(2)
