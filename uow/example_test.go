package uow_test

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

func ExampleRun() {
	ctx := context.Background()
	db, err := connect.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		panic(err)
	}
	_ = repo.New(db, labels.Table).Insert(ctx, &label{Name: "EMI"})

	err = uow.Run(ctx, db, func(u *uow.Unit) error {
		emi, err := uow.Get(ctx, u, labels.Table, 1)
		if err != nil {
			return err
		}
		again, _ := uow.Get(ctx, u, labels.Table, 1)
		fmt.Println("same row:", emi == again)
		emi.Name = "Parlophone" // written at commit
		return uow.Add(u, labels.Table, &label{Name: "Virgin"})
	})
	fmt.Println("run:", err)

	all, _ := repo.New(db, labels.Table).OrderBy(labels.ID.Asc()).All(ctx)
	for _, l := range all {
		fmt.Println(l.ID, l.Name)
	}
	// Output:
	// same row: true
	// run: <nil>
	// 1 Parlophone
	// 2 Virgin
}
