SELECT ROUND(COALESCE(SUM("amount"), 0), 2), ROUND(AVG("amount"), 2), ROUND(AVG("cents"), 2) FROM "price" WHERE "qty" > ?

-- args: 1
1: int32(0)
