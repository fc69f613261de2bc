SELECT "title" FROM "track" ORDER BY "rating" DESC NULLS LAST, "released" NULLS FIRST, "id"

-- args: 0
