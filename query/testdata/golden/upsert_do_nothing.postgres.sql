INSERT INTO "label" ("code", "name") VALUES ($1, $2), ($3, $4) ON CONFLICT ("code") DO NOTHING

-- args: 4
1: string("INDY")
2: string("Independent")
3: string("EMI")
4: string("EMI Records")
