SELECT "id", "name", "country" FROM "artist" WHERE "name" <> $1 AND "id" IN (SELECT "artist_id" FROM "track" WHERE "plays" > $2 AND "title" LIKE $3 ESCAPE '\') AND "id" < $4

-- args: 4
1: string("Unknown")
2: int64(1000)
3: string("Live%")
4: int64(100)
