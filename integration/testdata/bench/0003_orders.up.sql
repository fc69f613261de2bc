CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer (id),
	address_id INTEGER NOT NULL REFERENCES address (id),
	placed_at TIMESTAMP NOT NULL,
	status TEXT NOT NULL DEFAULT 'new'
);
CREATE INDEX orders_customer ON orders (customer_id, placed_at);
CREATE INDEX orders_status ON orders (status);
CREATE TABLE order_line (
	order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	product_id INTEGER NOT NULL REFERENCES product (id),
	quantity INTEGER NOT NULL CHECK (quantity > 0),
	price NUMERIC(10, 2) NOT NULL,
	PRIMARY KEY (order_id, line)
);
CREATE INDEX order_line_product ON order_line (product_id);
CREATE TABLE payment (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL REFERENCES orders (id),
	amount NUMERIC(10, 2) NOT NULL,
	paid_at TIMESTAMP NOT NULL
);
CREATE INDEX payment_order ON payment (order_id);
CREATE TABLE shipment (
	id INTEGER PRIMARY KEY,
	order_id INTEGER NOT NULL REFERENCES orders (id),
	carrier TEXT NOT NULL,
	tracking TEXT UNIQUE,
	shipped_at TIMESTAMP
);
CREATE INDEX shipment_order ON shipment (order_id);
