SELECT "week", "position", "track_id" FROM "chart_entry" WHERE "week" = $1 ORDER BY "position"

-- args: 1
1: int32(12)
