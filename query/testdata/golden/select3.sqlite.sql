SELECT "title", "seconds", "released" FROM "track" WHERE "released" >= ? LIMIT -1 OFFSET ?

-- args: 2
1: string("2024-03-01 11:30:00.123456")
2: int64(3)
