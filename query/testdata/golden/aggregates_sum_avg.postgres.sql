SELECT COALESCE(SUM("seconds"), 0), AVG("plays"), MIN("rating") FROM "track"

-- args: 0
