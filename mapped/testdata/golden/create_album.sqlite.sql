CREATE TABLE IF NOT EXISTS "album" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "label_code" VARCHAR(8) NOT NULL,
  "genre_id" INTEGER NOT NULL DEFAULT 1,
  "title" VARCHAR(200) NOT NULL,
  "year" INTEGER NOT NULL,
  "disc" INTEGER NOT NULL DEFAULT 1,
  "tracks" INTEGER NOT NULL,
  "price" NUMERIC(10,2) NOT NULL,
  "released" TEXT NOT NULL DEFAULT (rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.')),
  "deleted" TEXT,
  "live" BOOLEAN NOT NULL DEFAULT FALSE,
  "rating" REAL NOT NULL DEFAULT 2.5,
  "score" REAL NOT NULL DEFAULT -0.25,
  "cover" BLOB NOT NULL,
  "meta" TEXT,
  UNIQUE ("label_code", "title"),
  FOREIGN KEY ("label_code") REFERENCES "label" ("code") ON DELETE RESTRICT,
  FOREIGN KEY ("genre_id") REFERENCES "genre" ("id") ON DELETE SET DEFAULT
);

CREATE INDEX IF NOT EXISTS "ix_album_year" ON "album" ("year");
