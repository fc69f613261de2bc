CREATE TABLE customer (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX customer_name ON customer (name);
CREATE TABLE address (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
	line1 TEXT NOT NULL,
	city TEXT NOT NULL,
	postcode TEXT NOT NULL,
	country TEXT NOT NULL
);
CREATE INDEX address_customer ON address (customer_id);
CREATE INDEX address_city ON address (country, city);
