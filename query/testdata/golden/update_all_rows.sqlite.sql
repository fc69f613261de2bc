UPDATE "track" SET "label_code" = ?

-- args: 1
1: nil
