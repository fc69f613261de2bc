-- query
INSERT INTO "draft" ("title", "body", "version") VALUES ($1, $2, $3) RETURNING "id"
-- args: string("new"), string("text"), int64(1)
