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
