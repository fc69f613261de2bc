INSERT INTO artist (id, name) VALUES (1, 'Queen'), (2, 'M83');
INSERT INTO album (id, artist_id, title) VALUES
	(1, 1, 'A Night at the Opera'),
	(2, 1, 'News of the World'),
	(3, 2, 'Hurry Up, We''re Dreaming');
