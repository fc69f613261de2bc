UPDATE "track" SET "released" = ?, "rating" = ?, "label_code" = ?, "tags" = ? WHERE "id" = ?

-- args: 5
1: string("2024-03-01 11:30:00.123456")
2: sql.Null[float64](sql.Null[float64]{V:0, Valid:false})
3: string("INDY")
4: string("[\"rock\",\"live\"]")
5: int64(1)
