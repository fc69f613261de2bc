// Package model holds a program's schema as one value, SQLAlchemy's
// registry and MetaData: its tables, and what its relations do — the
// cascades a delete runs, the orphans a saved collection deletes, the
// relations a unit of work follows. Nothing is registered by side effect:
// declaring a table or a relation changes nothing else, and a model is
// built once, validated as a whole, and immutable afterwards.
//
//	var Music = model.MustNew(
//		model.Tables(Artists, Albums, Tracks),
//		model.OnDelete(ArtistAlbums, mapped.Cascade), // an artist's albums go with it
//		model.OnDelete(AlbumTracks, mapped.Cascade),
//		model.DeleteOrphans(AlbumTracks),             // a track taken out of its album is deleted
//		uow.Follow(ArtistAlbums), uow.Follow(AlbumTracks),
//	)
//
// # Binding
//
// A model acts through the database handle it is bound to:
//
//	db := Music.Bind(raw)            // raw from dialect.Open
//	err := Music.CreateAll(ctx, db)  // ON DELETE CASCADE on album.artist_id and track.album_id
//	err = repo.New(db, Artists.Table).Delete(ctx, abba) // its albums and their tracks go too
//
// Repositories, units of work and transactions begun from a bound handle
// carry its model. A plain handle (not bound) has no cascades, deletes no
// orphans and follows no relation: a delete there is the one DELETE, and
// the database's foreign keys decide what happens to the rows that
// reference it.
//
// Several models over the same tables may coexist in one process, each
// bound to its own handle, for instance one that cascades deletes and one
// that restricts them.
//
// # Validation
//
// New reports every problem it finds, naming it: a relation or foreign key
// that names a table outside the model, two tables with one name, foreign
// keys in a cycle, a cascade that disagrees with the ON DELETE its foreign
// key declares, SetNull on a NOT NULL key, a rule declared twice (two
// cascades over one foreign key, a relation followed twice from one side,
// one association table given to Links twice). MustNew panics with that
// error, for a model in a package-level variable.
package model
