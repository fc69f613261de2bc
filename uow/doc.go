// Package uow is the unit of work, SQLAlchemy's Session: one transaction
// in which rows are loaded, changed, added and deleted freely, and written
// together by a flush that sends only the statements needed, in an order
// the foreign keys accept.
//
// # Running a unit
//
// Run begins a transaction, hands fn a *Unit, flushes and commits when fn
// returns nil, and rolls back when it returns an error or panics (the
// panic is raised again afterwards):
//
//	err := uow.Run(ctx, db, func(u *uow.Unit) error {
//		m83, err := uow.Get(ctx, u, Artists.Table, 4)
//		if err != nil {
//			return err
//		}
//		m83.Name = "M83"                                        // UPDATE of name only
//		return uow.Add(u, Tracks.Table, &Track{ArtistID: m83.ID, Title: "Wait"})
//	})
//
// Begin, Flush, Commit and Rollback are the explicit form, for callers
// whose transaction does not fit one function. Tx returns the unit's
// transaction, so repositories made on it (repo.New(u.Tx(), table)) and
// relation loaders (ArtistTracks.Fetch(ctx, u.Tx(), a)) work inside the
// unit; the rows they load become the unit's, one *T per key, as Find's
// do, for every table the unit has met (through Get, Find, Add or Delete)
// or that a followed relation has: rows of any other table are read as
// they are, untracked, so a change to one is written only through the
// unit's own calls. A loader fills only the relations the unit's rows have
// not loaded, so a collection changed in the unit keeps its changes. Their
// writes are not the unit's: write through Add and Delete.
//
// # Identity and changes
//
// Get (by primary key) and Find (a repository query run in the unit's
// transaction) return one *T per primary key for the whole unit: loading a
// row again returns the same pointer, with the changes made to it since,
// and Get of a row already loaded sends no statement.
//
// Each loaded row is recorded with its columns' values as the dialect binds
// them. A flush compares the row with that record, bytes by content,
// times as instants and a NaN as equal to a NaN, and updates only the
// columns that differ, zero values included; a row that did not change
// costs no statement. After a flush, the values written are the new
// record.
//
// # Adding and deleting
//
// Add schedules a row for insertion, Delete for deletion. A flush inserts
// first, parents before their children, in rounds: each round's rows go in
// as few multi-row INSERTs as the dialect allows, each table's in the order
// they were added (a row moves only behind a parent in its own table), so
// generated keys follow add order, and all of a round's INSERTs are sent in
// one batch (one round trip on PostgreSQL, through pgx.Batch), filling
// generated keys. The rows RETURNING reads back are matched to the rows
// added by key, never by the order the database returns them in. Then it
// updates the changed rows and deletes, children's tables first. The last
// round of INSERTs, every UPDATE and the DELETEs share one batch, in which
// each table's UPDATEs precede its INSERTs, referenced tables first, as in
// SQLAlchemy (so a row renamed away from a unique value leaves it to a new
// row in the same flush, when that row goes in the last round, no
// many-to-many pair changes and its table does not reference itself); but a
// value freed by a DELETE is not free for an INSERT or UPDATE of the same
// flush: flush in between. So a unit that adds rows to stored parents,
// changes rows and deletes some writes them all in one round trip. The
// exceptions go in batches of their own, afterwards: the DELETEs from a
// table with cascades in the unit's model (model.OnDelete, model.Links),
// which runs them first, or whose rows to delete reference each other, and those of the
// tables deleted from after it; and the last round of INSERTs, when
// many-to-many pairs or an UPDATE need the keys it fills in. A row added and
// deleted before a flush is never written.
//
// A flush is made in two steps: a plan of these steps, made without
// sending anything, then the sending of each step, its statements bound
// once the steps before it filled in the keys they need. Plan prints the
// plan of the next flush, which is what to read when a flush does
// something unexpected:
//
//	plan:
//	1. INSERT record new#1
//	2. batch:
//	   UPDATE band 1 set name
//	   INSERT tune new#1 (record_id ← record new#1), tune new#2 (record_id ← record new#1)
//
// # Object graphs
//
// A unit follows the relations that the model of its handle declares with
// Follow (one-to-many), FollowOne (one-to-one), FollowParent (many-to-one)
// or FollowManyToMany, SQLAlchemy's save-update cascade; a unit begun on a
// plain handle follows none:
//
//	var ArtistTracks = relation.HasMany(Tracks.ArtistID,
//		func(a *Artist) *[]*Track { return &a.Tracks })
//
//	var Music = model.MustNew(model.Tables(Artists, Tracks),
//		model.OnDelete(ArtistTracks, mapped.Cascade), model.DeleteOrphans(ArtistTracks),
//		uow.Follow(ArtistTracks))
//
//	db = Music.Bind(db)
//
//	err := uow.Run(ctx, db, func(u *uow.Unit) error {
//		return uow.Add(u, Artists.Table, &Artist{Name: "Low", Tracks: []*Track{{Title: "Words"}, {Title: "Lazy"}}})
//	}) // INSERT artist … RETURNING id; INSERT track (artist_id, title) VALUES ($1, $2), ($3, $4) …
//
// At a flush the unit walks the followed relations of every row it holds:
//
//   - rows in a parent's collection, or named by a child's pointer to its
//     parent, that the unit does not know are added;
//   - each new reference sets the child's foreign key from the parent's
//     key, once the parent's INSERT has filled it in: new rows wait for the
//     rows they reference, so a self-referential chain (an employee and
//     her manager) is inserted in as many rounds as it is long; and once
//     the flush is sent, a child adopted through a collection (or a
//     one-to-one pointer) whose relation declares Back points back at its
//     parent, as back_populates does (a rolled-back unit puts back the
//     pointers of the rows it inserted, with their keys; a loaded row
//     keeps its pointer as it keeps its foreign key; a failed nested unit
//     puts both back);
//   - a many-to-many collection's new pairs become association rows,
//     inserted once both rows have their keys, and the pairs taken out of
//     a loaded collection lose theirs (the rows themselves stay);
//   - a collection that was not loaded with its row (nil) and is set
//     since, by appending to it say, only adds: its children are adopted
//     and its pairs linked (pairs already stored are not written again),
//     but the stored ones it does not hold are neither orphaned nor
//     unlinked, since the unit never saw them;
//   - a child taken out of a loaded collection is deleted when the
//     model declares model.DeleteOrphans for the relation, and otherwise released (its foreign key set
//     to NULL, its Back pointer to nil); a child whose parent pointer was set to nil is released;
//   - rows that Find loads through a followed relation (repo.Query.Load)
//     become the unit's, one *T per key like any other, the unit's own rows
//     replacing the loaded copies in the collections.
//
// What cannot be written is refused before anything is sent, with an
// error that leaves the unit usable: new rows that reference each other in
// a cycle (the error names their tables), a child claimed by two parents
// through one foreign key (by two collections, even when one of them held
// it already, or by a collection and its Back pointer), a released child
// whose key is NOT NULL.
//
// After deleting rows that other tables reference with a cascade
// (ON DELETE CASCADE or SET NULL, the column's own or the model's), a flush reads back the keys of
// the rows it holds in those tables, one SELECT per table: rows the
// cascades deleted leave the identity map (Get of one returns
// repo.ErrNotFound), and keys they set to NULL are cleared in the unit's
// rows too.
//
// # Failure
//
// A flush whose statement fails leaves the unit failed: that error and
// every later one from Get, Find, Add, Delete, Flush and Commit match
// ErrFailed and wrap the statement's error (a *dialect.ConstraintError,
// say), and nothing is committed. Rollback ends the unit: the identity map
// is emptied, added rows are no longer tracked, and the keys a flush
// filled in on them (generated keys, and foreign keys set from their
// parents') are cleared. A COMMIT the database refuses is returned as an error, never
// as success. A finished unit returns ErrDone.
//
// A flush whose connection was lost (dialect.ErrConnLost: the network
// failed, the server restarted, or the session was terminated) fails the
// unit the same way, and so does a nested unit that cannot go back to its
// savepoint for that reason; Rollback then succeeds, since the server has
// already ended the transaction, and the next unit runs on a new
// connection of the pool. Get and Find return their statement's error,
// ErrConnLost included, without failing the unit; the flush or COMMIT that
// follows reports the lost transaction. A unit that cannot begin because
// no connection can be made fails with dialect.ErrCannotConnect. A
// connection lost while the COMMIT itself was on its way leaves the
// outcome unknown: Commit (and Run) return an error matching
// dialect.ErrCommitUnknown, and the work may or may not be stored; its
// documentation says how to find out.
//
// # Nested units
//
// Nested flushes the unit, opens a savepoint and runs a function on the
// unit inside it. If the function fails (or the flush that ends it does),
// the unit goes back to the savepoint, undoing only what was done inside,
// and its tracking goes back too: rows loaded, added or deleted inside are
// forgotten, and rows loaded before get back their values. The outer unit
// carries on:
//
//	err := u.Nested(ctx, func(u *uow.Unit) error {
//		return uow.Add(u, Artists.Table, maybeDuplicate)
//	})
//	if errors.Is(err, dialect.ErrUnique) {
//		// the unit is still usable; the duplicate was never stored
//	}
//
// # Retries
//
// With the Retry option, Run runs fn again, in a fresh unit, when the
// transaction fails in a way that committed nothing: with
// dialect.ErrRetryable (a serialization failure or deadlock on PostgreSQL,
// SQLITE_BUSY), with repo.ErrStale (see Optimistic locking), with
// dialect.ErrConnLost (the connection was lost before the COMMIT was
// sent) or with dialect.ErrCannotConnect (no connection could be made: the
// server is restarting, say), up to a number of attempts with a growing
// pause between them. A connection lost during the COMMIT is
// dialect.ErrCommitUnknown, reported and never retried: the work may have
// been committed. fn should touch nothing outside the unit that a second
// run would get wrong:
//
//	err := uow.Run(ctx, db, transfer, uow.Isolation(dialect.Serializable), uow.Retry(5, 10*time.Millisecond))
//
// The pauses are Backoff, 2×Backoff, 3×Backoff…, so n attempts wait
// Backoff × n(n-1)/2 in all: to ride out a server restart, or a SQLite
// writer that holds the lock longer than the busy timeout, choose them so
// that this covers it. Under a restart, every unit ends committed once,
// or not at all with an error, or with ErrCommitUnknown; none is
// committed twice.
//
// # Optimistic locking
//
// Rows of a table with a version column (mapped.Version) are updated and
// deleted by a flush through the statements repo.Repo.Update and Delete
// send, which match the version the row was loaded with and bump it. A
// row that another transaction changed or deleted since the unit loaded
// it fails the flush with ErrFailed wrapping repo.ErrStale (or
// repo.ErrNotFound for a row now gone): the unit never overwrites a
// change it did not see. Retry treats
// ErrStale like a conflict and runs fn again in a fresh unit, which loads
// the row anew; so fn must load the rows it changes inside the unit:
//
//	err := uow.Run(ctx, db, func(u *uow.Unit) error {
//		c, err := uow.Get(ctx, u, Counters.Table, id)
//		if err != nil {
//			return err
//		}
//		c.N++ // UPDATE … WHERE id = $2 AND version = $3
//		return nil
//	}, uow.Retry(10, time.Millisecond))
//
// When the attempts run out, the error still matches repo.ErrStale; a
// caller may run the unit again or report the conflict.
//
// # Limits
//
// A many-to-many relation is followed from one side: following it and its
// Reverse would write each pair twice, so a model doing so is refused by
// model.New, as is any relation followed twice (the same declaration, or
// another over the same foreign key from the same side). When a nested unit
// fails, the rows loaded before it get their fields back, but memory
// behind a pointer or slice field that was changed in place stays changed,
// as Nested says. A loaded row whose collection was not loaded, then set,
// only gains children or pairs (see Object graphs).
package uow
