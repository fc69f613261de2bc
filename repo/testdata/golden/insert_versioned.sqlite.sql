-- exec
INSERT INTO "draft" ("title", "body", "version") VALUES (?, ?, ?)
-- args: string("new"), string("text"), int64(1)
