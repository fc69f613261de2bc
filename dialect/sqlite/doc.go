// Package sqlite is genrepo's SQLite dialect, built on modernc.org/sqlite,
// a pure-Go SQLite: no cgo, and the database in one file or in memory.
//
// # Opening
//
// Open takes a file path, created if needed, or Memory; OpenConfig takes a
// Config, for settings such as the busy timeout:
//
//	db, err := sqlite.Open(ctx, "music.db")
//	mem, err := sqlite.Open(ctx, sqlite.Memory)
//	db, err := sqlite.OpenConfig(ctx, sqlite.Config{Path: "music.db", BusyTimeout: time.Second})
//
// The path is a file name, not a URI, so '?', '#' and '%' are part of it.
// A *DB is a dialect.DB over a database/sql pool, which SQL returns for
// what genrepo does not wrap.
//
// # Connection settings
//
// Every connection of the pool is set up alike, so behaviour does not
// depend on which connection a statement happens to get:
//
//   - foreign keys are enforced (PRAGMA foreign_keys = ON);
//   - a connection waits up to ten seconds (Config.BusyTimeout) for
//     another's lock before it reports SQLITE_BUSY (PRAGMA busy_timeout);
//   - LIKE is case-sensitive, as on PostgreSQL (PRAGMA case_sensitive_like);
//     it still stops at a NUL byte, which is why Features.ByteTextMatch is
//     set;
//   - a file database uses write-ahead logging (PRAGMA journal_mode = WAL),
//     so readers and the writer do not block each other.
//
// # In-memory databases
//
// Plain ":memory:" gives every connection a database of its own, which
// does not work with a pool. Memory instead opens a database of SQLite's
// memdb VFS under a random name: one database shared by all connections of
// the pool, invisible to any other DB, and gone when the DB is closed.
// Sharing costs time: statements on the memdb VFS run slower than on
// plain ":memory:" with one connection (17–20% slower in an independent
// measurement on a quiet machine; BenchmarkMemory, an insert and a read by
// key, compares the two).
//
// Where that speed matters more than concurrency (a test, a cache, a
// single-threaded tool), OpenConfig with OneConnection set opens Memory as
// plain ":memory:" on a pool of one connection:
//
//	db, err := sqlite.OpenConfig(ctx, sqlite.Config{Path: sqlite.Memory, OneConnection: true})
//
// Statements then take turns on that connection. A transaction, a pinned
// Conn and rows not yet closed hold it until they end; meanwhile a
// statement on the DB, a Begin or a Conn waits up to the busy timeout and
// then fails with dialect.ErrRetryable, saying what holds the connection.
// So inside a transaction, run statements on the transaction: one run on
// the DB there would be waiting for the transaction it runs in, and fails
// after the busy timeout instead of hanging. Should database/sql ever drop
// the connection (after the driver reported it broken), the database is
// gone with it, and every later statement fails saying so rather than run
// on a new, empty database.
//
// # Transactions
//
// SQLite has one writer at a time. A read-write transaction begins with
// BEGIN IMMEDIATE and so takes the write lock at once: concurrent writers
// queue at Begin, under the busy timeout, instead of failing with
// SQLITE_BUSY when a reader tries to become a writer halfway through. A
// read-only transaction begins with a deferred BEGIN, which takes no write
// lock, on a connection with PRAGMA query_only set until the transaction
// ends; writes in it fail. Isolation levels are accepted and ignored:
// SQLite transactions are serializable. Savepoint uses SAVEPOINT, RELEASE
// and ROLLBACK TO. A failed statement undoes only itself; the transaction
// goes on.
//
// # Busy writers
//
// Writers queue for the lock under the busy timeout, whether they are
// connections of one pool or of other processes: a BEGIN IMMEDIATE, or a
// write outside a transaction (a plain repo.Insert, say), waits while
// another connection holds the write lock. One that waits longer than the
// busy timeout (ten seconds unless Config says otherwise) gives up with
// SQLITE_BUSY, returned as a *dialect.RetryableError matching
// dialect.ErrRetryable, and has written nothing; it is the same error for
// a plain statement and for a transaction. Under heavy contention (many
// processes, each with many writers) this happens now and then: a writer
// can lose the race for the lock again and again, since SQLite's waiting
// is not first come, first served. uow.Retry runs such a unit again, after
// its backoff; a plain statement is the caller's to run again. A longer
// busy timeout makes SQLITE_BUSY rarer, never impossible. An in-memory
// database has no write-ahead log, so there its readers wait for a writer
// too.
//
// # Lost connections
//
// SQLite runs in the process: a DB has no network connection to lose and
// no server to refuse it, so it never returns dialect.ErrConnLost,
// dialect.ErrCannotConnect or dialect.ErrCommitUnknown. A COMMIT either
// succeeds or returns its error with nothing committed (interrupted by its
// context, SQLite rolls the transaction back).
//
// # Closing
//
// DB.Close closes the idle connections and returns at once; new work on
// the DB fails. A connection in use (an open transaction, a pinned Conn,
// unclosed rows) is closed when it is released, so a transaction open at
// Close goes on and its Commit still commits.
//
// # Prepared statements
//
// modernc.org/sqlite parses a statement anew each time it runs unless it
// was prepared, and parsing costs more than running a short statement. So
// a DB keeps the DML it runs (SELECT, INSERT, UPDATE, DELETE, REPLACE,
// WITH, VALUES) prepared, by SQL text: the 256 most recently used
// statements, each prepared once per connection by database/sql and reused
// there; an evicted statement is closed once no call uses it, and Close
// closes them all. A transaction prepares the statements it runs on its
// own connection and keeps up to 64 of them until it ends. DDL and PRAGMAs
// run unprepared. SQLite prepares a kept statement again by itself when
// the schema changes, so dropping and creating tables needs no care.
// Statements run through SQL, or on a Conn outside a transaction, are not
// kept.
//
// A statement database/sql closes (a transaction's, when it ends; the
// pool's, when it is evicted) is not finalized: it goes back to its
// connection, idle, and the next transaction on that connection that runs
// the same SQL takes it instead of preparing it again. Each connection
// keeps up to 64 idle statements, finalized when it closes. A statement is
// lent to one user at a time and kept only once reset, so it holds no lock
// while idle, and no SQLite statement is shared between a transaction and
// the pool. The driver connection sql.Conn.Raw hands over is genrepo's
// wrapper; its Unwrap method returns modernc.org/sqlite's connection.
//
// # Types
//
// Placeholders are ?; a statement binds at most 32766 of them. Columns use
// SQLite's storage classes: integers are INTEGER (a generated key is
// INTEGER PRIMARY KEY AUTOINCREMENT), times and JSON are TEXT. NUMERIC(p,s)
// keeps its name and SQLite's NUMERIC affinity: it holds 64-bit integers
// and floats, which genrepo binds decimals as (exact to 15 significant
// digits; more are refused with dialect.ErrNotStorable, as is an infinity
// in a column with a precision) and reads back as decimal text with the
// column's scale. A NaN is refused: SQLite would store NULL.
// Times are written by genrepo in dialect.TimeLayout, UTC, truncated to
// microseconds ("2006-01-02 15:04:05.999999", the fraction only as long as
// it is not zero): the form of SQLite's CURRENT_TIMESTAMP and datetime(),
// so that times sort and compare as text with those other programs write.
// Years 0001 to 9999 only; others are refused (dialect.ErrNotStorable).
// The other forms SQLite reads are read back too (see dialect.ParseTime),
// as is the time.Time the driver hands for a DATETIME column. VARCHAR(n) is accepted but not
// enforced.
//
// Text is stored byte for byte, NUL bytes and invalid UTF-8 included.
// SQLite's LIKE stops at a NUL byte, so the query package compares the
// bytes of BLOB casts for Contains, HasPrefix and HasSuffix
// (Features.ByteTextMatch). That assumes the database's text encoding is
// UTF-8, SQLite's default and that of every database genrepo creates; in a
// database created with PRAGMA encoding = 'UTF-16', a cast gives UTF-16
// bytes, and Contains can then match across two characters.
//
// # Errors
//
// SQLite's extended constraint codes become *dialect.ConstraintError: a
// unique, primary-key or not-null violation names its table and columns, a
// CHECK its name (or its expression when unnamed), a foreign key nothing,
// as SQLite reports none. The *sqlite.Error stays reachable with
// errors.As. database/sql's error for a finished transaction becomes
// dialect.ErrTxDone. SQLITE_BUSY becomes *dialect.RetryableError (see Busy
// writers).
//
// # Hooks
//
// The hook hears of a query when its rows are done (read to the end, or
// closed), with the error that ended them. An Event's error never quotes a
// bound value: database/sql's error for an argument it could not convert
// (which may quote a driver.Valuer's error) is withheld, and so are
// SQLite's messages that may quote one (a trigger's RAISE, an SQL
// function's error, such as a bad JSON path); the Event's error then says
// what failed and unwraps to the driver's error.
//
// # Concurrency
//
// A DB is safe for concurrent use; a Conn or a Tx belongs to one goroutine
// at a time.
package sqlite
