SELECT "title" FROM "track" ORDER BY "plays" * $1 DESC

-- args: 1
1: int(2)
