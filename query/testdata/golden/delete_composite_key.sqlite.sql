DELETE FROM "chart_entry" WHERE "week" = ? AND "position" = ?

-- args: 2
1: int32(12)
2: int16(1)
