UPDATE "track" SET "plays" = $1, "title" = $2 WHERE "artist_id" = $3

-- args: 3
1: int64(0)
2: string("Untitled")
3: int64(7)
