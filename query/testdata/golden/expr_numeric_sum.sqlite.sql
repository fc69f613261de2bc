SELECT ROUND(COALESCE(SUM(("cents" * "qty")), 0), 2) FROM "price" HAVING ROUND(COALESCE(SUM(("cents" * "qty")), 0), 2) > ?

-- args: 1
1: float64(2.5)
