SELECT "id", (("plays" * $1) / COALESCE(SUM("plays") OVER (), 0)) FROM "track"

-- args: 1
1: int64(100)
