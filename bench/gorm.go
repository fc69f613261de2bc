package bench

import (
	"context"
	"database/sql"

	gormpg "gorm.io/driver/postgres"
	gormsqlite "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// gormPeer is GORM as its documentation advises for speed: no implicit
// transaction around each write (SkipDefaultTransaction), silent logger,
// and with prepared set, its statement cache (PrepareStmt).
type gormPeer struct {
	db  *gorm.DB
	sql *sql.DB
}

func gormConfig(prepared bool) *gorm.Config {
	return &gorm.Config{SkipDefaultTransaction: true, PrepareStmt: prepared, Logger: logger.Discard}
}

// OpenGormPostgres returns the opener of GORM's PostgreSQL driver (over
// pgx's stdlib driver).
func OpenGormPostgres(prepared bool) func(ctx context.Context, loc Location) (Peer, error) {
	return func(ctx context.Context, loc Location) (Peer, error) {
		db, err := gorm.Open(gormpg.Open(loc.DSN), gormConfig(prepared))
		if err != nil {
			return nil, err
		}
		return newGormPeer(db)
	}
}

// OpenGormSQLite returns the opener of GORM's SQLite dialect over a
// modernc.org/sqlite connection pool: the pure-Go driver the other SQLite
// peers use, configured alike.
func OpenGormSQLite(prepared bool) func(ctx context.Context, loc Location) (Peer, error) {
	return func(ctx context.Context, loc Location) (Peer, error) {
		conn, err := sql.Open("sqlite", SQLiteDSN(loc.Path))
		if err != nil {
			return nil, err
		}
		db, err := gorm.Open(gormsqlite.New(gormsqlite.Config{Conn: conn}), gormConfig(prepared))
		if err != nil {
			conn.Close()
			return nil, err
		}
		return newGormPeer(db)
	}
}

func newGormPeer(db *gorm.DB) (Peer, error) {
	s, err := db.DB()
	if err != nil {
		return nil, err
	}
	return &gormPeer{db: db, sql: s}, nil
}

func (p *gormPeer) Close() error { return p.sql.Close() }

func (p *gormPeer) Insert(ctx context.Context, it *Item) error {
	return p.db.WithContext(ctx).Create(it).Error
}

func (p *gormPeer) InsertMulti(ctx context.Context, items []*Item) error {
	return p.db.WithContext(ctx).Create(&items).Error
}

func (p *gormPeer) Update(ctx context.Context, it *Item) error {
	return p.db.WithContext(ctx).Save(it).Error
}

func (p *gormPeer) Read(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	if err := p.db.WithContext(ctx).First(it, id).Error; err != nil {
		return nil, err
	}
	return it, nil
}

func (p *gormPeer) ReadSlice(ctx context.Context) ([]*Item, error) {
	var items []*Item
	err := p.db.WithContext(ctx).Where("id > ?", 0).Limit(SliceRows).Find(&items).Error
	return items, err
}

func (p *gormPeer) Query(ctx context.Context) ([]*Item, error) {
	var items []*Item
	err := p.db.WithContext(ctx).Where("age >= ? AND active = ?", QueryMinAge, true).
		Order("counter DESC").Limit(QueryLimit).Find(&items).Error
	return items, err
}

func (p *gormPeer) Eager(ctx context.Context) ([]*Author, error) {
	var authors []*Author
	err := p.db.WithContext(ctx).Preload("Books").Order("id").Limit(SeedAuthors).Find(&authors).Error
	return authors, err
}

// Unit runs in db.Transaction: Find of the authors by their keys
// (WHERE id IN …), Update of the one changed column of each renamed author
// (GORM sends one UPDATE per row), Create of the books' slice (one
// multi-row INSERT), and Delete by key.
func (p *gormPeer) Unit(ctx context.Context, w *UnitWork) error {
	return p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var authors []*Author
		if err := tx.Find(&authors, w.Keys).Error; err != nil {
			return err
		}
		if len(authors) != len(w.Keys) {
			return errUnitLoad
		}
		for _, a := range authors {
			if a.ID%2 == 0 {
				a.Name = w.Name
				if err := tx.Model(a).Update("name", a.Name).Error; err != nil {
					return err
				}
			}
		}
		if err := tx.Create(&w.Books).Error; err != nil {
			return err
		}
		res := tx.Delete(&Book{}, w.Delete)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errUnitDelete
		}
		return nil
	})
}
