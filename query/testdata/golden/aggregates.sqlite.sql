SELECT COUNT("rating"), COUNT(DISTINCT "artist_id"), MIN("released"), MAX("title") FROM "track" WHERE "plays" > ?

-- args: 1
1: int64(0)
