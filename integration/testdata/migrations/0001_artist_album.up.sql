CREATE TABLE artist (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE album (
	id INTEGER PRIMARY KEY,
	artist_id INTEGER NOT NULL REFERENCES artist (id),
	title TEXT NOT NULL
);
CREATE INDEX album_artist ON album (artist_id);
