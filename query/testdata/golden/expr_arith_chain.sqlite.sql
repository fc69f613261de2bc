SELECT (-(((("plays" * ?) + ?) - ?) / ?)) FROM "track" WHERE ("plays" % ?) = ? AND (-"likes") < ?

-- args: 7
1: int64(2)
2: int64(1)
3: int64(3)
4: int64(4)
5: int64(7)
6: int64(0)
7: int64(-5)
