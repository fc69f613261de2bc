SELECT "artist_id", COALESCE(SUM("plays"), 0), RANK() OVER (ORDER BY COALESCE(SUM("plays"), 0) DESC) FROM "track" GROUP BY "artist_id" ORDER BY RANK() OVER (ORDER BY COALESCE(SUM("plays"), 0) DESC)

-- args: 0
