-- query
INSERT INTO "draft" ("title", "body", "version") VALUES (?, ?, ?) RETURNING "id"
-- args: string("new"), string("text"), int64(1)
