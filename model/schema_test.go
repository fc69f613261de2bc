package model_test

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

type product struct {
	ID     int64
	Name   string
	Stocks []*stock
}

type productTable struct {
	*mapped.Table[product]
	ID   mapped.Column[product, int64]
	Name mapped.Column[product, string]
}

type stock struct {
	ID        int64
	ProductID int64
	Quantity  int64
	Place     string
}

type stockTable struct {
	*mapped.Table[stock]
	ID        mapped.Column[stock, int64]
	ProductID mapped.Column[stock, int64]
	Quantity  mapped.Column[stock, int64]
	Place     mapped.Column[stock, string]
}

// stockSchema maps a product table in the default schema and its
// product_stocks in the schema named schema, with a model that cascades
// and follows the relation.
func stockSchema(schema string) (productTable, stockTable, *relation.OneToMany[product, stock], *model.Model) {
	products := mapped.Define("products", func(t *mapped.Table[product], p *product) productTable {
		return productTable{ID: mapped.PrimaryKey(t, &p.ID), Name: mapped.Col(t, &p.Name, mapped.Unique())}
	})
	stocks := mapped.Define("product_stocks", func(t *mapped.Table[stock], s *stock) stockTable {
		t.InSchema(schema)
		return stockTable{
			ID:        mapped.PrimaryKey(t, &s.ID),
			ProductID: mapped.ForeignKey(t, &s.ProductID, products.ID),
			Quantity:  mapped.Col(t, &s.Quantity),
			Place:     mapped.Col(t, &s.Place, mapped.Size(20), mapped.Unique()),
		}
	})
	rel := relation.HasMany(stocks.ProductID, func(p *product) *[]*stock { return &p.Stocks })
	m := model.MustNew(model.Tables(products, stocks), model.OnDelete(rel, mapped.Cascade), uow.Follow(rel))
	return products, stocks, rel, m
}

// TestSchemaQualifiedTable keeps product_stocks in a schema of its own and
// writes and reads it through every path: DDL (the schema created), the
// repository's writes and queries, loading and conditions through a
// relation, a cascade and a unit of work's flush. SQLite has no schemas:
// the table is refused there, naming it, and nothing is created.
func TestSchemaQualifiedTable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		schema := "data"
		if raw.Dialect().Features().Schemas {
			// A schema of the test's own, next to the one testdb made.
			schema = testdb.Scalar[string](t, raw, "SELECT current_schema()") + "_data"
			t.Cleanup(func() {
				_, _ = raw.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+dialect.Quote(schema)+" CASCADE")
			})
		}
		products, stocks, rel, m := stockSchema(schema)
		if products.Table == nil {
			t.Fatal("Define left the embedded table nil")
		}
		db := m.Bind(raw)
		if !raw.Dialect().Features().Schemas {
			err := m.CreateAll(ctx, db)
			if err == nil || !strings.Contains(err.Error(), "table "+schema+".product_stocks: sqlite has no schemas") {
				t.Fatalf("CreateAll on SQLite: got %v, want a refusal naming the table", err)
			}
			if n := testdb.Scalar[int64](t, raw, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"); n != 0 {
				t.Errorf("tables after the refused CreateAll: %d, want 0", n)
			}
			if err := mapped.CreateAll(ctx, raw, products); err != nil {
				t.Fatal(err)
			}
			err = repo.New(db, stocks.Table).Insert(ctx, &stock{ProductID: 1, Quantity: 1, Place: "x"})
			if err == nil || !strings.Contains(err.Error(), "sqlite has no schemas") {
				t.Errorf("Insert on SQLite: got %v, want a refusal", err)
			}
			return
		}
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatalf("CreateAll: %v", err)
		}
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatalf("CreateAll again (idempotent): %v", err)
		}
		n := testdb.Scalar[int64](t, raw, "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'product_stocks'", schema)
		if n != 1 {
			t.Fatalf("product_stocks in schema %s: %d tables, want 1", schema, n)
		}

		tea := &product{Name: "tea"}
		if err := repo.New(db, products.Table).Insert(ctx, tea); err != nil {
			t.Fatal(err)
		}
		st := repo.New(db, stocks.Table)
		if err := st.Insert(ctx, &stock{ProductID: tea.ID, Quantity: 5, Place: "shelf"}); err != nil {
			t.Fatalf("Insert: %v", err)
		}
		many := []*stock{{ProductID: tea.ID, Quantity: 7, Place: "cellar"}, {ProductID: tea.ID, Quantity: 1, Place: "van"}}
		if err := st.InsertMany(ctx, many); err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
		// A key written explicitly moves the identity past it.
		if err := st.InsertMany(ctx, []*stock{{ID: 100, ProductID: tea.ID, Quantity: 2, Place: "attic"}}); err != nil {
			t.Fatalf("InsertMany with a key: %v", err)
		}
		next := &stock{ProductID: tea.ID, Quantity: 3, Place: "garage"}
		if err := st.Insert(ctx, next); err != nil || next.ID <= 100 {
			t.Fatalf("Insert after an explicit key: id %d, %v; want > 100", next.ID, err)
		}
		got, err := st.Get(ctx, many[0].ID)
		if err != nil || got.Place != "cellar" {
			t.Fatalf("Get: %+v, %v", got, err)
		}
		got.Quantity = 70
		if err := st.Update(ctx, got, stocks.Quantity); err != nil {
			t.Fatalf("Update: %v", err)
		}
		if err := st.Upsert(ctx, &stock{ProductID: tea.ID, Quantity: 9, Place: "van"}, stocks.Place); err != nil {
			t.Fatalf("Upsert: %v", err)
		}
		rows, err := st.Where(stocks.Quantity.Gt(4)).OrderBy(stocks.Place.Asc()).All(ctx)
		if err != nil {
			t.Fatalf("Where: %v", err)
		}
		if places := placesOf(rows); places != "cellar shelf van" {
			t.Errorf("stocks over 4: %s, want cellar shelf van", places)
		}
		loaded, err := repo.New(db, products.Table).Where(rel.Any(stocks.Quantity.Gt(60))).Load(rel.OrderBy(stocks.Place.Asc())).All(ctx)
		if err != nil || len(loaded) != 1 {
			t.Fatalf("Any and Load: %d products, %v", len(loaded), err)
		}
		if places := placesOf(loaded[0].Stocks); places != "attic cellar garage shelf van" {
			t.Errorf("loaded stocks: %s", places)
		}
		sums, err := query.Select2(products.Name, stocks.Place).Join(rel).OrderBy(stocks.Place.Asc()).All(ctx, db)
		if err != nil || len(sums) != 5 {
			t.Fatalf("join: %d rows, %v", len(sums), err)
		}

		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			p, err := uow.Get(ctx, u, products.Table, tea.ID)
			if err != nil {
				return err
			}
			if _, err := rel.Fetch(ctx, u.Tx(), p); err != nil {
				return err
			}
			p.Stocks = append(p.Stocks, &stock{Quantity: 4, Place: "boat"})
			return uow.Add(u, products.Table, &product{Name: "coffee", Stocks: []*stock{{Quantity: 8, Place: "silo"}}})
		})
		if err != nil {
			t.Fatalf("unit: %v", err)
		}
		if n := testdb.Scalar[int64](t, raw, "SELECT count(*) FROM "+dialect.Quote(schema)+".product_stocks"); n != 7 {
			t.Errorf("stocks after the unit: %d, want 7", n)
		}
		if err := repo.New(db, products.Table).Delete(ctx, tea); err != nil {
			t.Fatalf("Delete with cascade: %v", err)
		}
		if n := testdb.Scalar[int64](t, raw, "SELECT count(*) FROM "+dialect.Quote(schema)+".product_stocks"); n != 1 {
			t.Errorf("stocks after deleting tea: %d, want coffee's 1", n)
		}
		if err := m.DropAll(ctx, db); err != nil {
			t.Fatalf("DropAll: %v", err)
		}
	})
}

func placesOf(rows []*stock) string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Place)
	}
	return strings.Join(out, " ")
}
