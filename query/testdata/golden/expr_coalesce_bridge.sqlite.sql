SELECT COALESCE("label_code", ?), COALESCE("rating", ?), COALESCE("label_code", "label_code") FROM "track" WHERE "label_code" <> ?

-- args: 3
1: string("none")
2: float64(0)
3: string("EMI")
