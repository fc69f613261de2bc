INSERT INTO category (id, parent_id, name) VALUES
	(1, NULL, 'Music'), (2, 1, 'Vinyl'), (3, 1, 'CD'), (4, NULL, 'Books');
