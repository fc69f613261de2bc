SELECT "title", "seconds", "released" FROM "track" WHERE "released" >= $1 OFFSET $2

-- args: 2
1: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
2: int64(3)
