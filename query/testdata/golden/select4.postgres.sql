SELECT "id", "title", "rating", "label_code" FROM "track" ORDER BY "rating" DESC NULLS LAST LIMIT 10 OFFSET $1

-- args: 1
1: int64(10)
