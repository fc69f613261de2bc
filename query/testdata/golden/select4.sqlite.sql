SELECT "id", "title", "rating", "label_code" FROM "track" ORDER BY "rating" DESC NULLS LAST LIMIT ? OFFSET ?

-- args: 2
1: int64(10)
2: int64(10)
