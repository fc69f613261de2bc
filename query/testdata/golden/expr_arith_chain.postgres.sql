SELECT (-(((("plays" * $1) + $2) - $3) / $4)) FROM "track" WHERE ("plays" % $5) = $6 AND (-"likes") < $7

-- args: 7
1: int64(2)
2: int64(1)
3: int64(3)
4: int64(4)
5: int64(7)
6: int64(0)
7: int64(-5)
