DELETE FROM "chart_entry" WHERE "week" = $1 AND "position" = $2

-- args: 2
1: int32(12)
2: int16(1)
