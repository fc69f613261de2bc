CREATE TABLE category (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES category (id),
	name TEXT NOT NULL UNIQUE
);
CREATE INDEX category_parent ON category (parent_id);
CREATE TABLE product (
	id INTEGER PRIMARY KEY,
	sku TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	price NUMERIC(10, 2) NOT NULL CHECK (price >= 0),
	stock INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX product_title ON product (title);
CREATE TABLE product_category (
	product_id INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,
	category_id INTEGER NOT NULL REFERENCES category (id) ON DELETE CASCADE,
	PRIMARY KEY (product_id, category_id)
);
CREATE INDEX product_category_category ON product_category (category_id);
CREATE TABLE review (
	id INTEGER PRIMARY KEY,
	product_id INTEGER NOT NULL REFERENCES product (id) ON DELETE CASCADE,
	customer_id INTEGER NOT NULL REFERENCES customer (id),
	stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
	body TEXT
);
CREATE INDEX review_product ON review (product_id);
CREATE UNIQUE INDEX review_once ON review (product_id, customer_id);
