-- begin

-- query
SELECT "id", "student_id", "course_id" FROM "rc_enrollment" WHERE "student_id" = $1 AND "course_id" = ANY($2)
-- args: int64(1), []any{int64(1)}

-- exec
DELETE FROM "rc_grade" WHERE "enrollment_id" = ANY($1)
-- args: []any{int64(1)}

-- exec
DELETE FROM "rc_enrollment" WHERE "student_id" = $1 AND "course_id" = ANY($2)
-- args: int64(1), []any{int64(1)}

-- commit
