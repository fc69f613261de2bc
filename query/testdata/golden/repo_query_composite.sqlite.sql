SELECT "week", "position", "track_id" FROM "chart_entry" WHERE "week" = ? ORDER BY "position"

-- args: 1
1: int32(12)
