SELECT COALESCE("label_code", $1), COALESCE("rating", $2), COALESCE("label_code", "label_code") FROM "track" WHERE "label_code" <> $3

-- args: 3
1: string("none")
2: float64(0)
3: string("EMI")
