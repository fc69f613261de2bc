SELECT MIN("plays") OVER (PARTITION BY "artist_id"), AVG("likes") OVER (PARTITION BY "artist_id"), COUNT("label_code") OVER (ORDER BY "id") FROM "track"

-- args: 0
