SELECT "title", "plays" * $1 FROM "track" WHERE "plays" > $2

-- args: 2
1: int(2)
2: int64(1000)
