SELECT "title", ("plays" + "likes") FROM "track" WHERE ("plays" - "likes") > ? AND ("seconds" * ?) < "seconds" ORDER BY ("plays" + "likes") DESC

-- args: 2
1: int64(100)
2: int32(1000)
