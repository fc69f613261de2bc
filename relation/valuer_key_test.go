package relation_test

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// gid is a 16-byte key that reaches the database as hex text through
// driver.Valuer, as UUID types do: the driver, not genrepo, converts it.
type gid [16]byte

// Value implements driver.Valuer.
func (g gid) Value() (driver.Value, error) { return hex.EncodeToString(g[:]), nil }

// Scan implements sql.Scanner.
func (g *gid) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("gid: cannot scan %T", src)
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(g) {
		return fmt.Errorf("gid: cannot read %q", s)
	}
	copy(g[:], b)
	return nil
}

func newGID(kind byte, n int) gid {
	return gid{0: kind, 13: byte(n >> 16), 14: byte(n >> 8), 15: byte(n)}
}

// Crews and their sailors, keyed by gid.
type crew struct {
	ID      gid
	Name    string
	Sailors []*sailor
}

type sailor struct {
	ID     gid
	CrewID gid
	Name   string
}

type crewTable struct {
	*mapped.Table[crew]
	ID   mapped.Column[crew, gid]
	Name mapped.TextColumn[crew, string]
}

type sailorTable struct {
	*mapped.Table[sailor]
	ID     mapped.Column[sailor, gid]
	CrewID mapped.Column[sailor, gid]
	Name   mapped.TextColumn[sailor, string]
}

var gidType = mapped.Type(dialect.Type{Kind: dialect.String})

var (
	crews = mapped.Define("crew", func(t *mapped.Table[crew], c *crew) crewTable {
		return crewTable{Table: t,
			ID:   mapped.PrimaryKey(t, &c.ID, gidType),
			Name: mapped.Text(t, &c.Name),
		}
	})
	sailors = mapped.Define("sailor", func(t *mapped.Table[sailor], s *sailor) sailorTable {
		return sailorTable{Table: t,
			ID:     mapped.PrimaryKey(t, &s.ID, gidType),
			CrewID: mapped.ForeignKey(t, &s.CrewID, crews.ID, gidType),
			Name:   mapped.Text(t, &s.Name),
		}
	})
	crewSailors = relation.HasMany(sailors.CrewID, func(c *crew) *[]*sailor { return &c.Sailors })
)

// sailorsOf is the number of sailors of the i-th crew.
func sailorsOf(i int) int { return i % 3 }

// seedCrews inserts n crews, the first gone of them named "gone …", and
// sailorsOf(i) sailors for crew i.
func seedCrews(t testing.TB, db dialect.DB, n, gone int) []*crew {
	t.Helper()
	create(t, db, crews.Table, sailors.Table)
	cs := make([]*crew, n)
	var ss []*sailor
	for i := range cs {
		name := fmt.Sprintf("kept %d", i)
		if i < gone {
			name = fmt.Sprintf("gone %d", i)
		}
		cs[i] = &crew{ID: newGID(1, i), Name: name}
		for j := range sailorsOf(i) {
			ss = append(ss, &sailor{ID: newGID(2, len(ss)), CrewID: cs[i].ID, Name: fmt.Sprintf("%d.%d", i, j)})
		}
	}
	insertMany(t, db, crews.Table, cs)
	insertMany(t, db, sailors.Table, ss)
	return cs
}

// TestLoadValuerKeys loads the sailors of 600 crews, keyed by a type that
// only the driver converts: every crew gets its own sailors.
func TestLoadValuerKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedCrews(t, db, 600, 0)
		got, err := repo.New(db, crews.Table).OrderBy(crews.Name.Asc()).Load(crewSailors).All(ctx)
		must(t, "load", err)
		n := 0
		for _, c := range got {
			var i int
			if _, err := fmt.Sscanf(c.Name, "kept %d", &i); err != nil {
				t.Fatalf("crew %q: %v", c.Name, err)
			}
			if len(c.Sailors) != sailorsOf(i) {
				t.Fatalf("crew %d: got %d sailors, want %d", i, len(c.Sailors), sailorsOf(i))
			}
			for _, s := range c.Sailors {
				if s.CrewID != c.ID {
					t.Fatalf("crew %d holds sailor %s of another crew", i, s.Name)
				}
				n++
			}
		}
		if len(got) != 600 || n != 600 {
			t.Errorf("got %d crews with %d sailors, want 600 with 600", len(got), n)
		}
	})
}

// TestCascadeDeleteWhereValuerKeys deletes 600 of 700 crews keyed by a
// driver.Valuer: their sailors go first, through the cascade, and the count
// is of the crews.
func TestCascadeDeleteWhereValuerKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db) // deleting a crew deletes its sailors
		ctx := context.Background()
		seedCrews(t, db, 700, 600)
		n, err := repo.New(db, crews.Table).DeleteWhere(ctx, crews.Name.HasPrefix("gone "))
		if err != nil || n != 600 {
			t.Fatalf("DeleteWhere: got %d, %v; want 600", n, err)
		}
		left, err := repo.New(db, crews.Table).OrderBy(crews.Name.Asc()).Load(crewSailors).All(ctx)
		must(t, "crews left", err)
		kept := 0
		for i := 600; i < 700; i++ {
			kept += sailorsOf(i)
		}
		if got := count(t, db, sailors.Table); len(left) != 100 || got != int64(kept) {
			t.Errorf("left: %d crews and %d sailors, want 100 and %d", len(left), got, kept)
		}
		for _, c := range left {
			if c.Name[:5] != "kept " {
				t.Errorf("crew %q is left", c.Name)
			}
		}
	})
}
