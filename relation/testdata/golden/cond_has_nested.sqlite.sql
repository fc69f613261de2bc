-- query
SELECT "id", "name", "manager_id" FROM "employee" WHERE EXISTS (SELECT 1 FROM "employee" AS "sub_employee" WHERE "sub_employee"."id" = "employee"."manager_id" AND EXISTS (SELECT 1 FROM "employee" AS "sub_employee_2" WHERE "sub_employee_2"."id" = "sub_employee"."manager_id" AND "sub_employee_2"."name" = ?))
-- args: string("Ada")
