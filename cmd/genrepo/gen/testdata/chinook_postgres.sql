-- Chinook 1.4.5's tables as its PostgreSQL script declares them (keys
-- given by the data, so no identity), with ON DELETE rules added to show
-- them in the generated model.
CREATE TABLE artist (
    artist_id integer NOT NULL PRIMARY KEY,
    name varchar(120)
);
CREATE TABLE album (
    album_id integer NOT NULL PRIMARY KEY,
    title varchar(160) NOT NULL,
    artist_id integer NOT NULL REFERENCES artist (artist_id) ON DELETE CASCADE
);
CREATE INDEX album_artist_id_idx ON album (artist_id);
CREATE TABLE genre (
    genre_id integer NOT NULL PRIMARY KEY,
    name varchar(120)
);
CREATE TABLE media_type (
    media_type_id integer NOT NULL PRIMARY KEY,
    name varchar(120)
);
CREATE TABLE track (
    track_id integer NOT NULL PRIMARY KEY,
    name varchar(200) NOT NULL,
    album_id integer REFERENCES album (album_id) ON DELETE SET NULL,
    media_type_id integer NOT NULL REFERENCES media_type (media_type_id),
    genre_id integer REFERENCES genre (genre_id),
    composer varchar(220),
    milliseconds integer NOT NULL,
    bytes integer,
    unit_price numeric(10,2) NOT NULL
);
CREATE INDEX track_album_id_idx ON track (album_id);
CREATE INDEX track_genre_id_idx ON track (genre_id);
CREATE INDEX track_media_type_id_idx ON track (media_type_id);
CREATE TABLE playlist (
    playlist_id integer NOT NULL PRIMARY KEY,
    name varchar(120)
);
CREATE TABLE playlist_track (
    playlist_id integer NOT NULL REFERENCES playlist (playlist_id) ON DELETE CASCADE,
    track_id integer NOT NULL REFERENCES track (track_id) ON DELETE CASCADE,
    PRIMARY KEY (playlist_id, track_id)
);
CREATE INDEX playlist_track_track_id_idx ON playlist_track (track_id);
CREATE TABLE employee (
    employee_id integer NOT NULL PRIMARY KEY,
    last_name varchar(20) NOT NULL,
    first_name varchar(20) NOT NULL,
    title varchar(30),
    reports_to integer REFERENCES employee (employee_id),
    birth_date timestamp,
    hire_date timestamp,
    address varchar(70),
    city varchar(40),
    state varchar(40),
    country varchar(40),
    postal_code varchar(10),
    phone varchar(24),
    fax varchar(24),
    email varchar(60)
);
CREATE INDEX employee_reports_to_idx ON employee (reports_to);
CREATE TABLE customer (
    customer_id integer NOT NULL PRIMARY KEY,
    first_name varchar(40) NOT NULL,
    last_name varchar(20) NOT NULL,
    company varchar(80),
    address varchar(70),
    city varchar(40),
    state varchar(40),
    country varchar(40),
    postal_code varchar(10),
    phone varchar(24),
    fax varchar(24),
    email varchar(60) NOT NULL,
    support_rep_id integer REFERENCES employee (employee_id)
);
CREATE INDEX customer_support_rep_id_idx ON customer (support_rep_id);
CREATE TABLE invoice (
    invoice_id integer NOT NULL PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customer (customer_id),
    invoice_date timestamp NOT NULL,
    billing_address varchar(70),
    billing_city varchar(40),
    billing_state varchar(40),
    billing_country varchar(40),
    billing_postal_code varchar(10),
    total numeric(10,2) NOT NULL
);
CREATE INDEX invoice_customer_id_idx ON invoice (customer_id);
CREATE TABLE invoice_line (
    invoice_line_id integer NOT NULL PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES invoice (invoice_id) ON DELETE CASCADE,
    track_id integer NOT NULL REFERENCES track (track_id),
    unit_price numeric(10,2) NOT NULL,
    quantity integer NOT NULL
);
CREATE INDEX invoice_line_invoice_id_idx ON invoice_line (invoice_id);
CREATE INDEX invoice_line_track_id_idx ON invoice_line (track_id);
