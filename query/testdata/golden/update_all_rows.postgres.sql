UPDATE "track" SET "label_code" = $1

-- args: 1
1: nil
