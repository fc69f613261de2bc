SELECT ("qty" + $1), ("cents" * $2) FROM "price" WHERE (("qty" - $3) / $4) >= $5 AND (-"cents") < $6

-- args: 6
1: int32(1)
2: string("0.03")
3: int32(2)
4: int32(3)
5: int32(1)
6: string("0")
