-- exec
DELETE FROM "book" WHERE "pages" > ?
-- args: int(250)
