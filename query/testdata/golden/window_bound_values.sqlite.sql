SELECT ("plays" / ?), ROW_NUMBER() OVER (PARTITION BY ("plays" / ?) ORDER BY ("likes" * ?) DESC) FROM "track" ORDER BY 2, 1 DESC

-- args: 3
1: int64(1000)
2: int64(1000)
3: int64(2)
