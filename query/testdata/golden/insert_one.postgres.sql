INSERT INTO "artist" ("name", "country") VALUES ($1, $2) RETURNING "id"

-- args: 2
1: string("Queen")
2: string("UK")
