SELECT "title" FROM "track" ORDER BY "plays" DESC, "title"

-- args: 0
