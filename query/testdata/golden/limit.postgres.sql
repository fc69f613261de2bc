SELECT "id" FROM "track" LIMIT 10

-- args: 0
