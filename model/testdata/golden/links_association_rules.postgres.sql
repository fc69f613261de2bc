-- begin

-- query
SELECT "id", "student_id", "course_id" FROM "rc_enrollment" WHERE "student_id" = ANY($1)
-- args: []any{int64(1)}

-- exec
DELETE FROM "rc_grade" WHERE "enrollment_id" = ANY($1)
-- args: []any{int64(1), int64(2)}

-- exec
DELETE FROM "rc_enrollment" WHERE "student_id" = ANY($1)
-- args: []any{int64(1)}

-- exec
DELETE FROM "rc_student" WHERE "id" = $1
-- args: int64(1)

-- commit
