INSERT INTO "artist" ("name", "country") VALUES (?, ?) RETURNING "id"

-- args: 2
1: string("Queen")
2: string("UK")
