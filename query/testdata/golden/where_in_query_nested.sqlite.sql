SELECT "id", "name", "country" FROM "artist" WHERE "id" IN (SELECT "artist_id" FROM "track" WHERE "id" IN (SELECT "track_id" FROM "chart_entry" WHERE "position" <= ?))

-- args: 1
1: int16(10)
