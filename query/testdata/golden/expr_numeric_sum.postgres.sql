SELECT COALESCE(SUM(("cents" * "qty")), 0) FROM "price" HAVING COALESCE(SUM(("cents" * "qty")), 0) > $1

-- args: 1
1: string("2.50")
