SELECT ("plays" / $1), ROW_NUMBER() OVER (PARTITION BY ("plays" / $2) ORDER BY ("likes" * $3) DESC) FROM "track" ORDER BY 2, 1 DESC

-- args: 3
1: int64(1000)
2: int64(1000)
3: int64(2)
