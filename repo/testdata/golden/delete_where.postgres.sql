-- exec
DELETE FROM "book" WHERE "pages" > $1
-- args: int(250)
