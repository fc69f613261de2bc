SELECT "title", "plays" * ? FROM "track" WHERE "plays" > ?

-- args: 2
1: int(2)
2: int64(1000)
