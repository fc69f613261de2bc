SELECT "id", "name", "country" FROM "artist" WHERE "name" <> ? AND "id" IN (SELECT "artist_id" FROM "track" WHERE "plays" > ? AND "title" LIKE ? ESCAPE '\') AND "id" < ?

-- args: 4
1: string("Unknown")
2: int64(1000)
3: string("Live%")
4: int64(100)
