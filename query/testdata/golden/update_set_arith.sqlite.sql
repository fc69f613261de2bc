UPDATE "track" SET "plays" = ("plays" + ?), "likes" = max(COALESCE("likes", "plays"), COALESCE("plays", "likes")) WHERE ("plays" / ?) > ?

-- args: 3
1: int64(100)
2: int64(2)
3: int64(10)
