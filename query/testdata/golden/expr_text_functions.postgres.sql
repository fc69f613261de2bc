SELECT lower("name"), upper("country"), length(trim("name")), ("name" || $1 || "name" || $2) FROM "artist" WHERE lower("name") = $3 AND length("name") > $4 ORDER BY upper("name")

-- args: 4
1: string(" (")
2: string(")")
3: string("queen")
4: int64(3)
