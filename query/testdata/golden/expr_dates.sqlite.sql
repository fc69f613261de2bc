SELECT CAST(strftime('%Y', "released") AS INTEGER), CAST(strftime('%m', "released") AS INTEGER), CAST(strftime('%d', "released") AS INTEGER), strftime('%Y-%m-01 00:00:00', "released") FROM "track" WHERE CAST(strftime('%Y', "released") AS INTEGER) = ? AND strftime('%Y-%m-%d 00:00:00', "released") < ? AND strftime('%Y-01-01 00:00:00', "released") >= ?

-- args: 3
1: int64(2024)
2: string("2024-03-01 11:30:00.123456")
3: string("2024-03-01 11:30:00.123456")
