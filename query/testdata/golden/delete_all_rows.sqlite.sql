DELETE FROM "track"

-- args: 0
