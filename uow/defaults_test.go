package uow_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/uow"
)

// setting has a database default on nullable columns of several kinds and
// the current time as the default of a plain time.Time.
type setting struct {
	ID      int64
	Level   *int64
	On      *bool
	Ratio   *float64
	Limit   sql.Null[int64]
	Created time.Time
}

var settings = mapped.Define("setting", func(t *mapped.Table[setting], s *setting) *mapped.Table[setting] {
	mapped.PrimaryKey(t, &s.ID)
	mapped.Col(t, &s.Level, mapped.Default(3))
	mapped.Col(t, &s.On, mapped.Default(true))
	mapped.Col(t, &s.Ratio, mapped.Default(0.5))
	mapped.Col(t, &s.Limit, mapped.Default(100), mapped.Name("lim"))
	mapped.Col(t, &s.Created, mapped.DefaultNow())
	return t
})

// A flush leaves NULL columns with a default, and a zero time defaulting
// to now, to the database, reads the defaults back, and writes no UPDATE
// for them at the next flush.
func TestFlushDefaults(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, settings); err != nil {
			t.Fatal(err)
		}
		before := time.Now().Add(-time.Second)
		rows := []*setting{{}, {}, {}}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			for _, r := range rows {
				if err := uow.Add(u, settings, r); err != nil {
					return err
				}
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			rec.reset()
			return u.Flush(ctx)
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if w := writeOps(rec); w != "" {
			t.Errorf("second flush wrote %s, want nothing", w)
		}
		for _, r := range append(rows, stored(t, db, settings, rows[0].ID)) {
			if r.Level == nil || *r.Level != 3 || r.On == nil || !*r.On || r.Ratio == nil || *r.Ratio != 0.5 ||
				r.Limit != (sql.Null[int64]{V: 100, Valid: true}) || r.Created.Before(before) {
				t.Errorf("row %d: level=%v on=%v ratio=%v limit=%v created=%v, want the defaults",
					r.ID, r.Level, r.On, r.Ratio, r.Limit, r.Created)
			}
		}
	})
}
