package bench

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// genrepoPeer is genrepo as its README shows it: repositories, typed
// conditions built per call, relations loaded with Load.
type genrepoPeer struct {
	db      dialect.DB
	items   *repo.Repo[Item]
	authors *repo.Repo[Author]
}

// OpenGenrepoPostgres opens genrepo's PostgreSQL dialect (pgxpool).
func OpenGenrepoPostgres(ctx context.Context, loc Location) (Peer, error) {
	db, err := postgres.Open(ctx, loc.DSN)
	if err != nil {
		return nil, err
	}
	return newGenrepoPeer(db), nil
}

// OpenGenrepoSQLite opens genrepo's SQLite dialect (modernc.org/sqlite).
func OpenGenrepoSQLite(ctx context.Context, loc Location) (Peer, error) {
	db, err := sqlite.Open(ctx, loc.Path)
	if err != nil {
		return nil, err
	}
	return newGenrepoPeer(db), nil
}

func newGenrepoPeer(db dialect.DB) *genrepoPeer {
	return &genrepoPeer{db: db, items: repo.New(db, Items.Table), authors: repo.New(db, Authors.Table)}
}

func (p *genrepoPeer) Close() error { return p.db.Close() }

func (p *genrepoPeer) Insert(ctx context.Context, it *Item) error { return p.items.Insert(ctx, it) }

func (p *genrepoPeer) InsertMulti(ctx context.Context, items []*Item) error {
	return p.items.InsertMany(ctx, items)
}

func (p *genrepoPeer) Update(ctx context.Context, it *Item) error { return p.items.Update(ctx, it) }

func (p *genrepoPeer) Read(ctx context.Context, id int64) (*Item, error) { return p.items.Get(ctx, id) }

func (p *genrepoPeer) ReadSlice(ctx context.Context) ([]*Item, error) {
	return p.items.Where(Items.ID.Gt(0)).Limit(SliceRows).All(ctx)
}

func (p *genrepoPeer) Query(ctx context.Context) ([]*Item, error) {
	return p.items.Where(Items.Age.Ge(QueryMinAge), Items.Active.Eq(true)).
		OrderBy(Items.Counter.Desc()).Limit(QueryLimit).All(ctx)
}

func (p *genrepoPeer) Eager(ctx context.Context) ([]*Author, error) {
	return p.authors.Load(AuthorBooks).OrderBy(Authors.ID.Asc()).Limit(SeedAuthors).All(ctx)
}

// Unit loads the authors with one uow.Find (Authors.ID.In) and renames them
// in place: the unit sees the change and its flush writes that column
// alone. The books go in with uow.Add (one multi-row INSERT at the flush),
// and the book to delete, known by its key only, with uow.Delete.
func (p *genrepoPeer) Unit(ctx context.Context, w *UnitWork) error {
	return uow.Run(ctx, p.db, func(u *uow.Unit) error {
		authors, err := uow.Find(ctx, u, p.authors.Where(Authors.ID.In(w.Keys...)))
		if err != nil {
			return err
		}
		if len(authors) != len(w.Keys) {
			return errUnitLoad
		}
		for _, a := range authors {
			if a.ID%2 == 0 {
				a.Name = w.Name
			}
		}
		for _, bk := range w.Books {
			if err := uow.Add(u, Books.Table, bk); err != nil {
				return err
			}
		}
		return uow.Delete(u, Books.Table, &Book{ID: w.Delete})
	})
}
