package model_test

import (
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

type erdUser struct {
	ID      int64
	Email   string
	Mentor  *int64
	Balance string
	Token   string
}

type erdPassport struct {
	ID     int64
	UserID int64
}

type erdUserTable struct {
	*mapped.Table[erdUser]
	ID       mapped.Column[erdUser, int64]
	MentorID mapped.NullableColumn[erdUser, int64]
}

type erdPassportTable struct {
	*mapped.Table[erdPassport]
	UserID mapped.Column[erdPassport, int64]
}

var (
	erdUsers = mapped.Define("erd_user", func(t *mapped.Table[erdUser], u *erdUser) erdUserTable {
		t.InSchema("app")
		tb := erdUserTable{Table: t, ID: mapped.PrimaryKey(t, &u.ID)}
		mapped.Text(t, &u.Email, mapped.Size(80), mapped.Unique())
		tb.MentorID = mapped.NullableForeignKey(t, &u.Mentor, tb.ID, mapped.Name("mentor_id"), mapped.OnDelete(mapped.SetNull))
		mapped.Col(t, &u.Balance, mapped.Type(dialect.Type{Kind: dialect.Numeric, Precision: 10, Scale: 2}))
		mapped.Col(t, &u.Token, mapped.Type(dialect.Type{Kind: dialect.Custom, Name: "character varying(36)"}))
		return tb
	})
	erdPassports = mapped.Define("erd_passport", func(t *mapped.Table[erdPassport], p *erdPassport) erdPassportTable {
		t.InSchema("app")
		mapped.PrimaryKey(t, &p.ID)
		return erdPassportTable{Table: t, UserID: mapped.ForeignKey(t, &p.UserID, erdUsers.ID, mapped.Unique())}
	})
)

// The diagram names schema-qualified tables, sizes, precisions and custom
// types in a form Mermaid accepts, and draws a nullable key as zero or
// one parent and a unique key as at most one child.
func TestMermaid(t *testing.T) {
	got := model.MustNew(model.Tables(erdUsers, erdPassports)).Mermaid()
	for _, want := range []string{
		"    app.erd_user {\n        int64 id PK\n        string_80 email UK\n        int64 mentor_id FK\n        numeric_10_2 balance\n        character_varying_36_ token\n    }\n",
		`    app.erd_user |o--o{ app.erd_user : "mentor_id, on delete set null"`,
		`    app.erd_user ||--o| app.erd_passport : "user_id"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagram lacks\n%s\ngot:\n%s", want, got)
		}
	}
}

// The Graphviz form draws the same keys: a node per table with its
// columns, an edge from each key column to the table it references, with
// escaped names, crow's feet, and the delete rule in the label.
func TestDOT(t *testing.T) {
	got := model.MustNew(model.Tables(erdUsers, erdPassports)).DOT()
	for _, want := range []string{
		"digraph model {\n",
		`t0 [label=<<table border="0" cellborder="1" cellspacing="0"><tr><td bgcolor="lightgrey"><b>app.erd_user</b></td></tr><tr><td port="c0" align="left">id int64 PK</td></tr>`,
		`<tr><td port="c2" align="left">mentor_id int64 FK</td></tr>`,
		`t0:c2 -> t0 [dir=both, arrowtail=crowodot, arrowhead=teeodot, label="mentor_id, on delete set null"];`,
		`t1:c1 -> t0 [dir=both, arrowtail=teeodot, arrowhead=teetee, label="user_id"];`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagram lacks\n%s\ngot:\n%s", want, got)
		}
	}
}

type erdOdd struct{ ID int64 }

// A name that HTML or DOT would read as markup is escaped in both places.
func TestDOTEscapes(t *testing.T) {
	odd := mapped.Define(`a<b>&c\`, func(t *mapped.Table[erdOdd], o *erdOdd) *mapped.Table[erdOdd] {
		mapped.PrimaryKey(t, &o.ID, mapped.Name(`k'<`))
		return t
	})
	got := model.MustNew(model.Tables(odd)).DOT()
	want := `<b>a&lt;b&gt;&amp;c\</b></td></tr><tr><td port="c0" align="left">k&#39;&lt; int64 PK</td></tr>`
	if !strings.Contains(got, want) {
		t.Errorf("diagram lacks\n%s\ngot:\n%s", want, got)
	}
}
