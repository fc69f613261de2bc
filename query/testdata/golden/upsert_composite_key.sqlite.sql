INSERT INTO "chart_entry" ("week", "position", "track_id") VALUES (?, ?, ?) ON CONFLICT ("week", "position") DO UPDATE SET "track_id" = excluded."track_id"

-- args: 3
1: int32(12)
2: int16(1)
3: int64(7)
