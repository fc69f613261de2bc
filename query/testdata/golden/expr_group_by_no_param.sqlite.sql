SELECT CAST(strftime('%Y', "released") AS INTEGER), COALESCE(SUM("plays"), 0) FROM "track" GROUP BY CAST(strftime('%Y', "released") AS INTEGER) HAVING (COALESCE(SUM("plays"), 0) * ?) > ? ORDER BY CAST(strftime('%Y', "released") AS INTEGER)

-- args: 2
1: int64(2)
2: int64(10)
