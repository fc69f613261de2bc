UPDATE "track" SET "plays" = ?, "title" = ? WHERE "artist_id" = ?

-- args: 3
1: int64(0)
2: string("Untitled")
3: int64(7)
