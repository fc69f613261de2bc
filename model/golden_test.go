package model_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/fixtures/school"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/repo"
)

// TestMain checks, after the tests, that every golden file is still used.
func TestMain(m *testing.M) { golden.Main(m) }

// TestGoldenRestrictRowsBeingDeleted records, on every dialect, the
// statements of a delete whose cascade reaches a Restrict rule that rows
// the same delete deletes reference (TestReviewRestrictSkipsRowsBeingDeleted):
// the rule reads the children, telling those being deleted from the
// others, and points the ones being deleted away before their parents go.
// testdata/golden/<case>.<dialect>.sql holds them (go test -update
// rewrites the files).
func TestGoldenRestrictRowsBeingDeleted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		if err := rcModel.CreateAll(ctx, raw); err != nil {
			t.Fatal(err)
		}
		tasks, err := rcSeed(ctx, repo.New(raw, rcTasks.Table),
			[]rcRow{{name: "r"}, {name: "a", parent: "r", blocker: "b", owner: "b"}, {name: "b", parent: "a"}, {name: "k"}})
		if err != nil {
			t.Fatal(err)
		}
		rdb, rec := golden.Record(raw)
		db := rcModel.Bind(rdb)
		rec.Reset()
		if err := repo.New(db, rcTasks.Table).Delete(ctx, tasks["r"]); err != nil {
			t.Errorf("Delete: %v", err)
		}
		rec.Check(t, "restrict_rows_being_deleted", raw.Dialect().Name())
	})
}

// TestGoldenLinksAssociationRules records the statements of a student's
// delete whose Links reads the association rows, runs their rules (the
// grades' cascade), then deletes them (TestReviewLinksRunTheAssociationRowsRules).
func TestGoldenLinksAssociationRules(t *testing.T) {
	m, _ := school.Models()
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		if err := m.CreateAll(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if err := school.Seed(ctx, raw); err != nil {
			t.Fatal(err)
		}
		rdb, rec := golden.Record(raw)
		db := m.Bind(rdb)
		rec.Reset()
		if err := repo.New(db, school.Students.Table).Delete(ctx, &school.Student{ID: 1}); err != nil {
			t.Errorf("Delete: %v", err)
		}
		rec.Check(t, "links_association_rules", raw.Dialect().Name())
	})
}
