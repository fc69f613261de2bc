INSERT INTO "chart_entry" ("week", "position", "track_id") VALUES (?, ?, ?)

-- args: 3
1: int32(12)
2: int16(1)
3: int64(7)
