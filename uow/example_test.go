package uow_test

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
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

func ExampleFollow() {
	ctx := context.Background()
	db, err := connect.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()

	// The model follows bandRecords and recordTunes, and deletes a tune
	// taken out of its record's collection. Units follow the relations of
	// the model their handle is bound to.
	music := model.MustNew(
		model.Tables(bands.Table, records.Table, tunes.Table),
		model.DeleteOrphans(recordTunes),
		uow.Follow(bandRecords),
		uow.Follow(recordTunes),
	)
	db = music.Bind(db)
	if err := music.CreateAll(ctx, db); err != nil {
		panic(err)
	}

	// Adding a band adds its records and their tunes, with their foreign
	// keys.
	b := &band{Name: "Low", Records: []*record{
		{Title: "Things We Lost in the Fire", Tunes: []*tune{{Title: "Sunflower"}, {Title: "Whitetail"}}},
		{Title: "Double Negative", Tunes: []*tune{{Title: "Quorum"}}},
	}}
	err = uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) })
	fmt.Println("run:", err)
	for _, r := range b.Records {
		fmt.Printf("record %d of band %d: %q\n", r.ID, r.BandID, r.Title)
		for _, t := range r.Tunes {
			fmt.Printf("  tune %d of record %d: %q\n", t.ID, t.RecordID, t.Title)
		}
	}

	// Taking a tune out of a loaded collection whose orphans the model
	// deletes deletes it; appending one inserts it.
	err = uow.Run(ctx, db, func(u *uow.Unit) error {
		r, err := uow.Find(ctx, u, repo.New(db, records.Table).Load(recordTunes).Where(records.ID.Eq(1)))
		if err != nil {
			return err
		}
		r[0].Tunes = append(r[0].Tunes[1:], &tune{Title: "Dinosaur Act"})
		return nil
	})
	fmt.Println("run:", err)
	left, _ := repo.New(db, tunes.Table).Where(tunes.RecordID.Eq(1)).OrderBy(tunes.ID.Asc()).All(ctx)
	for _, t := range left {
		fmt.Printf("tune %d: %q\n", t.ID, t.Title)
	}
	// Output:
	// run: <nil>
	// record 1 of band 1: "Things We Lost in the Fire"
	//   tune 1 of record 1: "Sunflower"
	//   tune 2 of record 1: "Whitetail"
	// record 2 of band 1: "Double Negative"
	//   tune 3 of record 2: "Quorum"
	// run: <nil>
	// tune 2: "Whitetail"
	// tune 4: "Dinosaur Act"
}

func ExampleUnit_Plan() {
	ctx := context.Background()
	db, err := connect.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	music := model.MustNew(model.Tables(bands.Table, records.Table, tunes.Table),
		uow.Follow(bandRecords), uow.Follow(recordTunes))
	db = music.Bind(db)
	if err := music.CreateAll(ctx, db); err != nil {
		panic(err)
	}
	_ = repo.New(db, bands.Table).Insert(ctx, &band{Name: "Low"})

	u, err := uow.Begin(ctx, db)
	if err != nil {
		panic(err)
	}
	defer u.Rollback(ctx)
	low, _ := uow.Get(ctx, u, bands.Table, 1)
	low.Name = "LOW"
	_ = uow.Add(u, records.Table, &record{BandID: low.ID, Title: "Hey What",
		Tunes: []*tune{{Title: "White Horses"}, {Title: "I Can Wait"}}})
	plan, err := u.Plan() // sends nothing, changes nothing
	fmt.Print(plan)
	fmt.Println("plan:", err)
	// Output:
	// 1. INSERT record new#1
	// 2. batch:
	//    UPDATE band 1 set name
	//    INSERT tune new#1 (record_id ← record new#1), tune new#2 (record_id ← record new#1)
	// plan: <nil>
}
