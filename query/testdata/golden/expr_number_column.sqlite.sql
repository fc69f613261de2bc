SELECT ("qty" + ?), ("cents" * ?) FROM "price" WHERE (("qty" - ?) / ?) >= ? AND (-"cents") < ?

-- args: 6
1: int32(1)
2: float64(0.03)
3: int32(2)
4: int32(3)
5: int32(1)
6: int64(0)
