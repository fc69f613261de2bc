SELECT "id", COALESCE(SUM("plays") OVER (), 0), COUNT(*) OVER () FROM "track"

-- args: 0
