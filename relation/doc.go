// Package relation declares the relationships between mapped tables,
// SQLAlchemy's relationship(): which rows of one table belong to a row of
// another, how to load them without the N+1 trap, how to query through
// them, and what deleting a row does to the rows that reference it.
//
// A relation is typed by the structs on both sides and checked by the
// compiler: a foreign key of type int64 cannot point at a string key, a
// condition on tracks cannot be passed where one on artists is wanted, and
// a loader of tracks cannot be handed to a query of artists.
//
// # Declaring relations
//
// A relation is declared once, in a package-level variable, from the
// columns of package mapped and a function naming the struct field that
// holds the related rows:
//
//	var ArtistTracks = relation.HasMany(Tracks.ArtistID,
//		func(a *Artist) *[]*Track { return &a.Tracks })
//
//	var TrackArtist = relation.BelongsTo(Tracks.ArtistID,
//		func(t *Track) **Artist { return &t.Artist })
//
// The kinds:
//
//   - one-to-many, HasMany (HasManyNullable over a nullable foreign key):
//     an artist's tracks, in a slice field;
//   - many-to-one, BelongsTo (BelongsToNullable): a track's artist, in a
//     pointer field;
//   - one-to-one, HasOne, over a foreign key declared mapped.Unique(): a
//     person's phone, in a pointer field;
//   - many-to-many, ManyToManyThrough, through an association table mapped
//     like any other, usually keyed by its two foreign keys.
//
// An association table and its relation:
//
//	var MovieActors = mapped.Define("movie_actor", func(t *mapped.Table[MovieActor], l *MovieActor) MovieActorTable {
//		return MovieActorTable{Table: t,
//			MovieID: mapped.ForeignKey(t, &l.MovieID, Movies.ID, mapped.InPrimaryKey()),
//			ActorID: mapped.ForeignKey(t, &l.ActorID, Actors.ID, mapped.InPrimaryKey()),
//		}
//	})
//
//	var MovieCast = relation.ManyToManyThrough(MovieActors.MovieID, MovieActors.ActorID,
//		func(m *Movie) *[]*Actor { return &m.Actors })
//
// A self-referential relation is one whose two sides are the same table,
// such as an employee's manager (BelongsToNullable) and reports
// (HasManyNullable) over a nullable manager_id.
//
// Back (on HasMany and HasOne) and BackOne (on BelongsTo) pair two sides,
// SQLAlchemy's back_populates: loading the children also points each
// child at its parent. A parent's collection is never filled by loading
// the children's parents, since it would hold only the children at hand.
//
// A declaration whose columns do not fit panics at once, naming them: a
// foreign key that references another table's key, a column that is not a
// foreign key, a one-to-one key that is not unique, the two keys of a
// many-to-many relation in different tables. Such a mistake is a
// programming error, found when the package initialises rather than at
// the first query.
//
// # Eager loading
//
// A repository query loads relations with Load, one more statement per
// relation level whatever the number of rows: the keys of the rows at hand
// travel as one array parameter on PostgreSQL (= ANY($1)), and on SQLite
// as a placeholder each up to 500 keys and one JSON array parameter
// beyond, so 200,000 parents cost the same two statements as two. Then
// nests relations; OrderBy and Where (on collections) and Limit (on
// one-to-many relations) tune a level:
//
//	artists, err := repo.New(db, Artists.Table).
//		Load(ArtistAlbums.OrderBy(Albums.Year.Asc()).Then(AlbumTracks)). // 3 statements
//		All(ctx)
//
//	// The 3 newest tracks of each artist, by a window function, still
//	// one statement:
//	newest := ArtistTracks.OrderBy(Tracks.Released.Desc()).Limit(3)
//
// OrderBy, Where, Limit and Then return variants and leave the declared
// relation as it was. A row related to several loaded rows through a
// many-to-one or many-to-many relation is loaded once and shared: an actor
// in two movies is one *Actor in both casts. A collection loaded with
// Where holds a subset of the children and must not be saved.
//
// # Explicit lazy loading
//
// Fetch loads the relation of one row now, with one statement. Get returns
// what was loaded without touching the database, and ErrNotLoaded when
// nothing was, so that a collection never fetched is never mistaken for an
// empty one:
//
//	tracks, err := ArtistTracks.Get(a) // errors.Is(err, relation.ErrNotLoaded)
//	tracks, err = ArtistTracks.Fetch(ctx, db, a)
//	tracks, err = ArtistTracks.Get(a) // the same tracks; empty, not nil, when there are none
//
// A collection field that is nil has not been loaded; loading stores a
// non-nil slice. A many-to-one Get returns nil and no error when the
// foreign key is NULL (BelongsToNullable): the row itself says there is no
// parent. A one-to-one Get of a nil pointer is ErrNotLoaded, whether the
// child was never loaded or looked for and not found: a relation keeps no
// memory of the rows it loaded, and the row cannot tell the two apart;
// Fetch answers from the database.
//
// Loading on a unit of work's transaction (uow.Unit.Tx, an Identity),
// eagerly or with Fetch, gives the unit's rows: a row the unit holds
// replaces the loaded copy, and the others become the unit's, one *T per
// key (see uow.Unit.Tx). So a followed collection fetched inside a unit
// and appended to makes the flush insert only the rows appended.
//
// # Conditions through relations
//
// Has (many-to-one, one-to-one) and Any (one-to-many, many-to-many) are
// conditions on the rows of the relation's own side, written as EXISTS
// subqueries, SQLAlchemy's has() and any():
//
//	tracks.Where(TrackArtist.Has(Artists.Name.Gt("B")))                // Cond[Track]
//	artists.Where(ArtistTracks.Any(Tracks.Title.Like("%Love%")))       // Cond[Artist]
//	artists.Where(query.Not(ArtistTracks.Any()))                       // no track at all
//	employees.Where(EmployeeManager.Has(EmployeeManager.Has(Employees.Name.Eq("Ada"))))
//
// Every condition given must hold for one and the same related row. They
// nest, self-referential ones too, and work wherever a condition does:
// queries, counts, UpdateWhere, DeleteWhere, and a loader's Where.
//
// # Joins
//
// A relation is a query.Relationship, so typed projections join through
// it: the statement reads one side, the join brings in the other (and the
// association table of a many-to-many relation).
//
//	rows, err := query.Select2(Artists.Name, Tracks.Title).Join(ArtistTracks).All(ctx, db)
//
//	// A left join leaves NULL where nothing matches: read the joined
//	// table's columns through query.Nullable.
//	rows, err := query.Select2(Artists.Name, query.Nullable(Tracks.Title)).LeftJoin(ArtistTracks).All(ctx, db)
//
// A join of a table with itself needs aliases, which joins do not offer
// yet: it is an error, as is a relation that touches none of the tables
// the statement reads. Loading a many-to-many relation of a table with
// itself is an error too, for now; Has and Any work on every relation.
//
// # Changing relations
//
// Link and Unlink insert and delete association rows of a many-to-many
// relation (SQLAlchemy's movie.actors.append and remove); the rows
// themselves are left alone. Set and Clear write a many-to-one foreign key.
// repo.SaveCollection writes the membership of a one-to-many collection:
// new children are inserted, children of other parents moved, and removed
// children released (their key set to NULL) or, when the model of the
// handle declares model.DeleteOrphans for the relation, deleted.
//
//	err := repo.Link(ctx, db, MovieCast, matrix, keanu, carrieAnne)
//	err = repo.Unlink(ctx, db, MovieCast, matrix, carrieAnne)
//	err = repo.SetParent(ctx, db, TrackArtist, track, otherArtist)
//
// # What relations do: the model
//
// A relation declaration describes; it changes nothing else. What a
// relation does when rows are deleted (cascade, set NULL, restrict, drop
// association rows), whether children taken out of a collection are
// deleted, and which relations a unit of work follows to write object
// graphs are rules of a model (package model), bound to a database
// handle:
//
//	var Music = model.MustNew(
//		model.Tables(Artists, Albums),
//		model.OnDelete(ArtistAlbums, mapped.Cascade),
//		uow.Follow(ArtistAlbums),
//	)
//
// On a handle bound to Music, repo.Delete of an artist deletes its albums
// first, in the same transaction, and Music.CreateAll writes ON DELETE
// CASCADE on album.artist_id; on a plain handle it does neither. Several
// models over the same relations may coexist.
//
// # Concurrency
//
// Relations are declared once, when the program starts; Back and BackOne
// complete the declaration and belong there. After that a relation and
// its variants are safe for concurrent use by many goroutines. The rows
// they load are not: like any struct, a loaded row belongs to one
// goroutine at a time.
package relation
