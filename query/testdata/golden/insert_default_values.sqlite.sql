INSERT INTO "artist" DEFAULT VALUES RETURNING "id", "name"

-- args: 0
