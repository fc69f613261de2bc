-- Chinook 1.4.5's tables as its SQLite script declares them (NVARCHAR,
-- DATETIME; keys given by the data), with ON DELETE rules added to show
-- them in the generated model.
CREATE TABLE artist (
    artist_id INTEGER NOT NULL PRIMARY KEY,
    name NVARCHAR(120)
);
CREATE TABLE album (
    album_id INTEGER NOT NULL PRIMARY KEY,
    title NVARCHAR(160) NOT NULL,
    artist_id INTEGER NOT NULL REFERENCES artist (artist_id) ON DELETE CASCADE
);
CREATE INDEX album_artist_id_idx ON album (artist_id);
CREATE TABLE genre (
    genre_id INTEGER NOT NULL PRIMARY KEY,
    name NVARCHAR(120)
);
CREATE TABLE media_type (
    media_type_id INTEGER NOT NULL PRIMARY KEY,
    name NVARCHAR(120)
);
CREATE TABLE track (
    track_id INTEGER NOT NULL PRIMARY KEY,
    name NVARCHAR(200) NOT NULL,
    album_id INTEGER REFERENCES album (album_id) ON DELETE SET NULL,
    media_type_id INTEGER NOT NULL REFERENCES media_type (media_type_id),
    genre_id INTEGER REFERENCES genre (genre_id),
    composer NVARCHAR(220),
    milliseconds INTEGER NOT NULL,
    bytes INTEGER,
    unit_price NUMERIC(10,2) NOT NULL
);
CREATE INDEX track_album_id_idx ON track (album_id);
CREATE INDEX track_genre_id_idx ON track (genre_id);
CREATE INDEX track_media_type_id_idx ON track (media_type_id);
CREATE TABLE playlist (
    playlist_id INTEGER NOT NULL PRIMARY KEY,
    name NVARCHAR(120)
);
CREATE TABLE playlist_track (
    playlist_id INTEGER NOT NULL REFERENCES playlist (playlist_id) ON DELETE CASCADE,
    track_id INTEGER NOT NULL REFERENCES track (track_id) ON DELETE CASCADE,
    PRIMARY KEY (playlist_id, track_id)
);
CREATE INDEX playlist_track_track_id_idx ON playlist_track (track_id);
CREATE TABLE employee (
    employee_id INTEGER NOT NULL PRIMARY KEY,
    last_name NVARCHAR(20) NOT NULL,
    first_name NVARCHAR(20) NOT NULL,
    title NVARCHAR(30),
    reports_to INTEGER REFERENCES employee (employee_id),
    birth_date DATETIME,
    hire_date DATETIME,
    address NVARCHAR(70),
    city NVARCHAR(40),
    state NVARCHAR(40),
    country NVARCHAR(40),
    postal_code NVARCHAR(10),
    phone NVARCHAR(24),
    fax NVARCHAR(24),
    email NVARCHAR(60)
);
CREATE INDEX employee_reports_to_idx ON employee (reports_to);
CREATE TABLE customer (
    customer_id INTEGER NOT NULL PRIMARY KEY,
    first_name NVARCHAR(40) NOT NULL,
    last_name NVARCHAR(20) NOT NULL,
    company NVARCHAR(80),
    address NVARCHAR(70),
    city NVARCHAR(40),
    state NVARCHAR(40),
    country NVARCHAR(40),
    postal_code NVARCHAR(10),
    phone NVARCHAR(24),
    fax NVARCHAR(24),
    email NVARCHAR(60) NOT NULL,
    support_rep_id INTEGER REFERENCES employee (employee_id)
);
CREATE INDEX customer_support_rep_id_idx ON customer (support_rep_id);
CREATE TABLE invoice (
    invoice_id INTEGER NOT NULL PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customer (customer_id),
    invoice_date DATETIME NOT NULL,
    billing_address NVARCHAR(70),
    billing_city NVARCHAR(40),
    billing_state NVARCHAR(40),
    billing_country NVARCHAR(40),
    billing_postal_code NVARCHAR(10),
    total NUMERIC(10,2) NOT NULL
);
CREATE INDEX invoice_customer_id_idx ON invoice (customer_id);
CREATE TABLE invoice_line (
    invoice_line_id INTEGER NOT NULL PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoice (invoice_id) ON DELETE CASCADE,
    track_id INTEGER NOT NULL REFERENCES track (track_id),
    unit_price NUMERIC(10,2) NOT NULL,
    quantity INTEGER NOT NULL
);
CREATE INDEX invoice_line_invoice_id_idx ON invoice_line (invoice_id);
CREATE INDEX invoice_line_track_id_idx ON invoice_line (track_id);
