// Package gen writes genrepo mappings of an existing database: the core of
// `genrepo gen`. Generate opens the database a DSN names (postgres://… or
// sqlite:PATH) through database/sql (pgx's stdlib, modernc.org/sqlite),
// reads its tables with Atlas's inspectors (ariga.io/atlas sql/postgres and
// sql/sqlite) and returns one gofmt-ed file, schema.go, holding per table a
// struct, a typed table declared with mapped.Define, the relations of the
// foreign keys and a Model value. Code does the same from a schema already
// inspected.
//
// # Names
//
// Go names come from snake_case: each word capitalised, initialisms (ID,
// URL, UUID, JSON…) in capitals, so artist_id is ArtistID and mapped needs
// no Name option; a column whose name does not come back from its field
// gets mapped.Name. A table's struct is its name made singular where
// English does so plainly (categories Category, artist Artist), its typed
// table that name and Table, its variable the plural (Artists). Relation
// fields: a child's pointer to its parent is named after the foreign key
// without _id (album_id Album), or the key and the parent's struct when
// that name is taken (reports_to ReportsToEmployee); a parent's slice of
// children is the children's plural (Albums), prefixed by the key's name
// when the child references the parent more than once. Relation variables
// are the owner's struct and the field (ArtistAlbums, AlbumArtist). Every
// clash is resolved in the order tables come (by name) and columns come (by
// position): the first keeps the name, a later one gets a suffix (Rel for
// a relation, Table for a table variable, else a number). Model is
// reserved. A table or column whose name genrepo refuses (mapped.Define
// would panic: a dot in a table name, a double quote, over 63 bytes) is
// noted, not mapped, and so is a single-column index whose genrepo name,
// ix_TABLE_COLUMN, would be over 63 bytes.
//
// # Types
//
// PostgreSQL: smallint, integer and bigint are int16, int32 and int64;
// real float32, double precision float64; boolean bool; varchar(n) and
// text string (mapped.Text, Size(n)); numeric(p,s) string holding the
// decimal text (mapped.Numeric); bytea []byte; timestamptz time.Time;
// jsonb json.RawMessage (mapped.JSON). Types genrepo has no kind for but a
// Go type holds keep their SQL name with mapped.Type of a dialect.Custom
// type: timestamp and date (time.Time), char(n) and uuid (string), json.
// SQLite: any integer type is int64, text types string, REAL float64,
// NUMERIC(p,s) string, BLOB []byte, DATETIME, DATE and TIMESTAMP time.Time
// and JSON json.RawMessage, the last two keeping their declared name. A
// nullable column is a pointer. A column of any other type (arrays, enums,
// inet, interval, a time of day, a generated column…) is left out, with a
// comment in the struct and a warning. Tables whose columns map to the same
// Go types and options on both dialects (bigint and INTEGER keys, varchar(n)
// and VARCHAR(n), text and TEXT, …) give the same file on both, byte for
// byte: tables come in their names' order on both, and the file's header
// names no dialect.
//
// A column's DEFAULT becomes mapped.Default (a literal) or DefaultSQL (an
// expression), so the generated model creates it again. genrepo applies a
// default only to a value that binds NULL (a nil pointer): the field of a
// NOT NULL column cannot hold one, so Insert always writes that field,
// its zero value if unset, never the database's default. Each such field
// carries a comment saying so, with the default; set the field, or
// declare the column yourself in the mapping as you want it.
//
// # Keys, constraints and relations
//
// A single integer key is generated (no mapped.Manual) when the database
// generates it: an identity or serial column on PostgreSQL, AUTOINCREMENT on
// SQLite; any other integer key is mapped.Manual. A table without a primary
// key is not mapped (genrepo needs one). Single-column unique constraints
// and indexes become mapped.Unique and mapped.Index, unique constraints
// over several columns mapped.UniqueTogether; other indexes (several
// columns, expressions, partial, descending) are noted, not mapped.
// Single-column foreign keys to a generated table become ForeignKey or
// NullableForeignKey with mapped.OnDelete of their ON DELETE; composite
// ones, ones to a table left out or of another schema, and ones closing a
// cycle between tables are noted, not mapped, as are an ON UPDATE action
// and CHECK constraints, which genrepo does not declare. A table keyed by two foreign keys is an
// association table: relation.ManyToManyThrough and its Reverse, and
// model.Links when both keys cascade. Any other foreign key gives
// relation.BelongsTo from the child and relation.HasMany (with Back) from
// the parent; a unique NOT NULL key (or one that is the table's whole key)
// gives relation.HasOne instead of HasMany. The Model lists every table,
// with model.OnDelete for each foreign key whose ON DELETE is CASCADE, SET
// NULL or RESTRICT.
//
// # Round trip
//
// CreateAll of the generated Model into an empty database inspects as the
// original did for every table, column (Go type, size, precision,
// nullability, default, generated key), primary key, unique constraint,
// single-column index and foreign key with its ON DELETE that was mapped.
// What does not round-trip: what was noted and not mapped, and the order
// of a composite primary key whose columns come in another order in the
// table (genrepo declares a key in its columns' order; noted); names of
// constraints and indexes (genrepo names its indexes ix_TABLE_COLUMN); an
// index on the first column of the primary key; PostgreSQL identity ALWAYS
// (comes back BY DEFAULT), serial columns (come back identity), a NOT NULL
// json or jsonb column (comes back nullable), timestamp precision; SQLite's
// spelling of integer, text and real types (INT, NVARCHAR(n) and DOUBLE
// come back INTEGER, VARCHAR(n) and REAL), and column order in a table
// whose foreign key references one of its own later columns.
//
// # Schemas
//
// On PostgreSQL, the tables of a schema named with --schema (Options.Schema)
// are placed in it (t.InSchema), so the mapping finds them whatever the
// connection's search_path; --unqualified (Options.Unqualified) leaves
// them in the connection's current schema, as are the tables read when no
// schema is named.
package gen
