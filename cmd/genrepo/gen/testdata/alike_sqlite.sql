-- Tables whose columns map to the same Go types on both dialects, created
-- in an order that is not their names' order.
CREATE TABLE user_account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(30) NOT NULL UNIQUE,
    fullname TEXT
);
CREATE TABLE address (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
    email_address VARCHAR(100) NOT NULL
);
CREATE INDEX address_email_idx ON address (email_address);
