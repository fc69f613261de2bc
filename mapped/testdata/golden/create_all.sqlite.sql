CREATE TABLE IF NOT EXISTS "label" (
  "code" VARCHAR(8) NOT NULL,
  "name" TEXT NOT NULL DEFAULT 'it''s new',
  "country" VARCHAR(2) NOT NULL DEFAULT 'UK',
  PRIMARY KEY ("code")
);

CREATE TABLE IF NOT EXISTS "genre" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "name" VARCHAR(40) NOT NULL UNIQUE
);

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

CREATE TABLE IF NOT EXISTS "award" (
  "year" INTEGER NOT NULL,
  "category" TEXT NOT NULL,
  "album_id" INTEGER NOT NULL,
  PRIMARY KEY ("year", "category"),
  FOREIGN KEY ("album_id") REFERENCES "album" ("id") ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS "person" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "manager_id" INTEGER,
  "email" TEXT NOT NULL UNIQUE,
  "nick" TEXT,
  "token" uuid NOT NULL,
  "age" INTEGER NOT NULL,
  FOREIGN KEY ("manager_id") REFERENCES "person" ("id") ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS "ix_person_nick" ON "person" ("nick");

CREATE TABLE IF NOT EXISTS "order" (
  "group" INTEGER NOT NULL,
  "from" TEXT NOT NULL,
  "select" TEXT,
  PRIMARY KEY ("group")
);

CREATE INDEX IF NOT EXISTS "ix_order_from" ON "order" ("from");
