INSERT INTO "label" ("code", "name") VALUES (?, ?), (?, ?) ON CONFLICT ("code") DO NOTHING

-- args: 4
1: string("INDY")
2: string("Independent")
3: string("EMI")
4: string("EMI Records")
