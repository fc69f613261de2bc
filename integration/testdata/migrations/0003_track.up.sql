CREATE TABLE track (
	id INTEGER PRIMARY KEY,
	album_id INTEGER NOT NULL REFERENCES album (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	ms INTEGER NOT NULL CHECK (ms > 0)
);
CREATE INDEX track_album ON track (album_id);
INSERT INTO track (id, album_id, title, ms) VALUES
	(1, 1, 'Bohemian Rhapsody', 354000),
	(2, 1, 'Love of My Life', 219000),
	(3, 2, 'We Will Rock You', 122000),
	(4, 3, 'Midnight City', 243000);
