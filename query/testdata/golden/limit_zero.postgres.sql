SELECT "id" FROM "track" LIMIT 0

-- args: 0
