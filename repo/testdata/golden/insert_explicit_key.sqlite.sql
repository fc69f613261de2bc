-- exec
INSERT INTO "writer" ("id", "name", "country") VALUES (?, ?, ?)
-- args: int64(10), string("Di"), string("ES")
