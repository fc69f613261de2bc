SELECT lower("name"), upper("country"), length(trim("name")), ("name" || ? || "name" || ?) FROM "artist" WHERE lower("name") = ? AND length("name") > ? ORDER BY upper("name")

-- args: 4
1: string(" (")
2: string(")")
3: string("queen")
4: int64(3)
