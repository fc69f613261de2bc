UPDATE "track" SET "released" = $1, "rating" = $2, "label_code" = $3, "tags" = $4 WHERE "id" = $5

-- args: 5
1: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
2: sql.Null[float64](sql.Null[float64]{V:0, Valid:false})
3: string("INDY")
4: string("[\"rock\",\"live\"]")
5: int64(1)
