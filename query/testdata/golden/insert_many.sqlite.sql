INSERT INTO "artist" ("name", "country") VALUES (?, ?), (?, ?), (?, ?) RETURNING "id"

-- args: 6
1: string("Queen")
2: string("UK")
3: string("ABBA")
4: string("SE")
5: string("Unknown")
6: nil
