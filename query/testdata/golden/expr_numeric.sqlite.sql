SELECT ("cents" * "cents"), (CAST("cents" AS REAL) / ?) FROM "price" WHERE ("cents" + ?) > ?

-- args: 3
1: int64(3)
2: int64(1)
3: float64(2.5)
