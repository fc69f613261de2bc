// Package repo gives each mapped table a repository: insert, get by key,
// query, update, delete and upsert rows of a plain struct type, the verbs
// of SQLAlchemy's Session for one mapped class.
//
// # Repositories
//
// New makes the Repo[T] of a table on an executor: a pool, a pinned
// connection or a transaction.
//
//	artists := repo.New(db, Artists.Table)
//
//	a := &Artist{Name: "Queen"}
//	err := artists.Insert(ctx, a) // a.ID filled from RETURNING
//
//	queen, err := artists.Get(ctx, a.ID)
//	queen.Name = "Queen II"
//	err = artists.Update(ctx, queen)               // every column but the key
//	err = artists.Update(ctx, queen, Artists.Name) // or only the ones named
//	err = artists.Delete(ctx, queen)
//
// Insert fills a generated key left zero, and columns left NULL that have
// a default (or a zero time.Time declared mapped.DefaultNow), from
// RETURNING. InsertMany writes many rows with few multi-row INSERT
// statements (one per run of rows that write the same columns, each under
// the dialect's parameter limit and 1000 rows), all or none; generated keys
// follow the order of the rows, and the rows RETURNING reads back are
// matched to them by key, never by the order the database returns them
// in. Upsert inserts a row or, when one with the same key (or the same
// values in the unique columns given) exists, overwrites that row's other
// columns. Update writes zero values like any other: nothing is skipped
// because it looks empty.
//
// Get takes one value per key column, of the key's type or of any type
// that converts to it without loss: notes.Get(ctx, 7) finds the row of a
// key of type NoteID int64, and a value that does not fit is ErrNoKey.
//
// # Queries
//
// Where, OrderBy and Query start a Query[T]; Limit, Offset and Distinct
// refine it; All, One, First, Count, Exists and Iter run it. Conditions are
// query.Cond[T], built from the table's columns, so a condition on another
// table does not compile here. One returns the only matching row and
// First the first in the query's order; both apply the query's own Limit
// and Offset first, so Limit(1).One never reports ErrNotUnique.
//
//	some, err := artists.Where(Artists.Name.HasPrefix("Q")).
//		OrderBy(Artists.Name.Desc()).
//		Limit(10).
//		All(ctx)
//
//	for a, err := range artists.Where(Artists.Born.IsNull()).Iter(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(a.Name)
//	}
//
// # Joins
//
// Join and LeftJoin filter and order a Query[T] by the columns of a table
// reached through a to-one relation (a relation.ManyToOne or OneToOne,
// which implement relation.ToOne). Go methods take no type parameters, so
// they are functions returning a Joined[T, P], whose Where and OrderBy take
// P's conditions and orderings; its Query method goes back to the
// Query[T], with the join, to add T's and run it. A condition on a table
// the query does not join does not compile, nor does a join through a
// OneToMany or ManyToMany, which would repeat rows of T: filter through
// those with their Any (an EXISTS). Join is an inner join, which leaves
// out rows with no related row (a NULL foreign key); LeftJoin keeps them.
//
//	repo.Join(tracks.Query(), TrackAlbum).
//		Where(Albums.ArtistID.Eq(queen.ID)).
//		OrderBy(Albums.Title.Asc()).
//		Query().Limit(10).All(ctx)
//
// A Query is immutable: each method returns a new one, so a Query can be
// kept and extended. Its String method shows its SQL, with PostgreSQL's
// placeholders.
//
// UpdateWhere and DeleteWhere change every row matching a condition and
// report how many they changed. They refuse the zero condition with
// ErrNoCondition, so that a forgotten Where never rewrites a table; pass
// query.AllRows[T]() to mean every row.
//
// # Transactions
//
// A Repo runs on the executor it was made with. With returns the same
// repository on another executor of the same dialect (the same name and
// features), sharing its cache of statement text, so it is cheap to make
// one per transaction:
//
//	err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
//		if err := artists.With(tx).Insert(ctx, a); err != nil {
//			return err
//		}
//		return albums.With(tx).InsertMany(ctx, albumsOf(a))
//	})
//
// # Errors
//
// Errors are wrapped with the operation and the table ("repo: get note:
// …", naming the operation once), and match with errors.Is:
//
//   - ErrNotFound: Get, One or First matched no row, or Update or Delete
//     found no stored row with the row's key;
//   - ErrStale: Update or Delete of a row of a table with a version column
//     (mapped.Version) found the stored row at another version: someone
//     else changed it since it was read, and nothing was written;
//   - ErrNotUnique: One matched more than one row;
//   - ErrNoKey: a key of the wrong arity, or of a type that does not
//     convert to the key's without loss, was given to Get, or a row's key
//     is zero where a stored row is meant;
//   - ErrNilRow: a nil *T was passed;
//   - ErrNoCondition: UpdateWhere or DeleteWhere got the zero condition;
//   - dialect.ErrUnique, ErrForeignKey, ErrNotNull, ErrCheck: a constraint
//     was violated; errors.As gives the *dialect.ConstraintError, naming
//     the table and constraint, and the driver's error behind it;
//   - dialect.ErrNotStorable, dialect.ErrInvalidText: a value the dialect
//     would store as another one, or cannot store, refused before anything
//     is sent, naming the table and column;
//   - dialect.ErrRetryable, ErrConnLost, ErrCannotConnect and
//     ErrCommitUnknown: the transaction or the connection failed (see
//     package dialect; uow.Retry runs a unit again for the first three).
//
// A nil or zero Repo or Query, or one made with a nil executor or table,
// returns an error naming the call from every operation, never a panic.
//
// # Optimistic locking
//
// On a table with a version column, Insert writes version 1 when the row's
// version is zero; Update (of the whole row or of chosen columns) runs
//
//	UPDATE … SET …, "version" = "version" + 1 WHERE <key> AND "version" = <the row's>
//
// and increments the row's field on success. Delete matches the version
// the same way. When no row matches, a SELECT of the key tells ErrStale (the
// row is there, at another version) from ErrNotFound (it is gone), so a
// lost update or a re-insert of a deleted row never happens silently. To
// retry, read the row again and reapply the change (uow.Retry does this
// for a unit). An Update that would carry the version past the largest
// value of its field's type is refused before anything is sent.
// UpdateWhere, DeleteWhere and Upsert neither check nor bump versions;
// Upsert never overwrites the stored version.
//
// # Concurrency
//
// A Repo is immutable and safe for concurrent use when its executor is: a
// repository on a pool may be shared by every goroutine, one on a
// transaction belongs to that transaction's goroutine. The rows a Repo
// returns are new values owned by the caller, except on a unit of work's
// transaction (uow.Unit.Tx): there they are the unit's rows, one *T per
// key (relation.Identity).
package repo
