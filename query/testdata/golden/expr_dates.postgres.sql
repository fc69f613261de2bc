SELECT CAST(EXTRACT(YEAR FROM "released" AT TIME ZONE 'UTC') AS bigint), CAST(EXTRACT(MONTH FROM "released" AT TIME ZONE 'UTC') AS bigint), CAST(EXTRACT(DAY FROM "released" AT TIME ZONE 'UTC') AS bigint), date_trunc('month', "released", 'UTC') FROM "track" WHERE CAST(EXTRACT(YEAR FROM "released" AT TIME ZONE 'UTC') AS bigint) = $1 AND date_trunc('day', "released", 'UTC') < $2 AND date_trunc('year', "released", 'UTC') >= $3

-- args: 3
1: int64(2024)
2: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
3: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
