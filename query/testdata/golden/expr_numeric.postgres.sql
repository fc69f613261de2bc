SELECT ("cents" * "cents"), ("cents" / $1) FROM "price" WHERE ("cents" + $2) > $3

-- args: 3
1: string("3.00")
2: string("1.00")
3: string("2.50")
