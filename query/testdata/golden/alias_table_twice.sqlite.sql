SELECT "track"."title", "w1"."position", "w2"."position" FROM "track" JOIN "chart_entry" AS "w1" ON "w1"."track_id" = "track"."id" AND "w1"."week" = ? JOIN "chart_entry" AS "w2" ON "w2"."track_id" = "track"."id" AND "w2"."week" = ? WHERE "w2"."position" < "w1"."position"

-- args: 2
1: int32(1)
2: int32(2)
