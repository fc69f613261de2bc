SELECT "qty", COALESCE(SUM("cents") OVER (ORDER BY "qty"), 0), ROUND(AVG("cents") OVER (), 2) FROM "price"

-- args: 0
