-- begin

-- query
SELECT "id", "student_id", "course_id" FROM "rc_enrollment" WHERE "student_id" = ? AND "course_id" IN (?)
-- args: int64(1), int64(1)

-- exec
DELETE FROM "rc_grade" WHERE "enrollment_id" IN (?)
-- args: int64(1)

-- exec
DELETE FROM "rc_enrollment" WHERE "student_id" = ? AND "course_id" IN (?)
-- args: int64(1), int64(1)

-- commit
