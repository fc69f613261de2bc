SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" < (rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.'))

-- args: 0
