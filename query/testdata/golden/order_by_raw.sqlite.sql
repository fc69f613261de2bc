SELECT "title" FROM "track" ORDER BY "plays" * ? DESC

-- args: 1
1: int(2)
