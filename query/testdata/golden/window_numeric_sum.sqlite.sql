SELECT "qty", ROUND(COALESCE(SUM("cents") OVER (ORDER BY "qty"), 0), 2), ROUND(AVG("cents") OVER (), 2) FROM "price"

-- args: 0
