SELECT COALESCE(SUM("amount"), 0), ROUND(AVG("amount"), 2), ROUND(AVG("cents"), 2) FROM "price" WHERE "qty" > $1

-- args: 1
1: int32(0)
