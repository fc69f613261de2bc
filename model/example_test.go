package model_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
)

// A model that deletes a shelf's boxes with it, bound to a database: the
// bound handle cascades, the plain one leaves the foreign key to refuse.
func Example() {
	ctx := context.Background()
	storage := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))

	raw, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		panic(err)
	}
	defer raw.Close()
	db := storage.Bind(raw)
	if err := storage.CreateAll(ctx, db); err != nil { // ON DELETE CASCADE on mdl_box.shelf_id
		panic(err)
	}
	top := &shelf{Name: "top"}
	if err := repo.New(db, shelves.Table).Insert(ctx, top); err != nil {
		panic(err)
	}
	err = repo.New(db, boxes.Table).InsertMany(ctx, []*box{{ShelfID: top.ID, Label: "a"}, {ShelfID: top.ID, Label: "b"}})
	if err != nil {
		panic(err)
	}

	err = repo.New(db, shelves.Table).Delete(ctx, top) // the boxes first, in the same transaction
	n, _ := repo.New(db, boxes.Table).Count(ctx)
	fmt.Println(err, n)
	// Output: <nil> 0
}

// New refuses a model it cannot honour, naming every problem.
func ExampleNew() {
	_, err := model.New(model.Tables(shelves, boxes),
		model.OnDelete(shelfBoxes, mapped.SetNull), model.DeleteOrphans(shelfBoxes), model.DeleteOrphans(shelfBoxes))
	fmt.Println(err)
	// Output: model: the cascade of mdl_shelf → mdl_box over mdl_box.shelf_id: SET NULL needs a nullable foreign key; shelf_id is NOT NULL; the orphans of mdl_shelf → mdl_box over mdl_box.shelf_id is declared twice (as the orphans of mdl_shelf → mdl_box over mdl_box.shelf_id)
}

// Restrict refuses a delete while children exist, leaving every row.
func ExampleOnDelete() {
	ctx := context.Background()
	strict := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Restrict))
	raw, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		panic(err)
	}
	defer raw.Close()
	db := strict.Bind(raw)
	if err := strict.CreateAll(ctx, db); err != nil {
		panic(err)
	}
	s := &shelf{Name: "low"}
	_ = repo.New(db, shelves.Table).Insert(ctx, s)
	_ = repo.New(db, boxes.Table).Insert(ctx, &box{ShelfID: s.ID, Label: "c"})
	err = repo.New(db, shelves.Table).Delete(ctx, s)
	fmt.Println(errors.Is(err, model.ErrRestricted), errors.Is(err, dialect.ErrForeignKey))
	// Output: true false
}

// Mermaid draws the model: paste it into any Mermaid renderer.
func ExampleModel_Mermaid() {
	storage := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))
	fmt.Print(storage.Mermaid())
	// Output:
	// erDiagram
	//     mdl_shelf {
	//         int64 id PK
	//         string name
	//     }
	//     mdl_box {
	//         int64 id PK
	//         int64 shelf_id FK
	//         string label
	//     }
	//     mdl_shelf ||--o{ mdl_box : "shelf_id, on delete cascade"
}

// DOT draws the model for Graphviz: dot -Tsvg model.dot > model.svg.
func ExampleModel_DOT() {
	storage := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))
	fmt.Print(storage.DOT())
	// Output:
	// digraph model {
	//     rankdir=LR;
	//     node [shape=plaintext];
	//     t0 [label=<<table border="0" cellborder="1" cellspacing="0"><tr><td bgcolor="lightgrey"><b>mdl_shelf</b></td></tr><tr><td port="c0" align="left">id int64 PK</td></tr><tr><td port="c1" align="left">name string</td></tr></table>>];
	//     t1 [label=<<table border="0" cellborder="1" cellspacing="0"><tr><td bgcolor="lightgrey"><b>mdl_box</b></td></tr><tr><td port="c0" align="left">id int64 PK</td></tr><tr><td port="c1" align="left">shelf_id int64 FK</td></tr><tr><td port="c2" align="left">label string</td></tr></table>>];
	//     t1:c1 -> t0 [dir=both, arrowtail=crowodot, arrowhead=teetee, label="shelf_id, on delete cascade"];
	// }
}
