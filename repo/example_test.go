package repo_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

type User struct {
	ID    int64
	Name  string
	Email string
	Age   int
}

type UserTable struct {
	*mapped.Table[User]
	ID    mapped.Column[User, int64]
	Name  mapped.TextColumn[User, string]
	Email mapped.TextColumn[User, string]
	Age   mapped.Column[User, int]
}

var Users = mapped.Define("users", func(t *mapped.Table[User], u *User) UserTable {
	return UserTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &u.ID),
		Name:  mapped.Text(t, &u.Name),
		Email: mapped.Text(t, &u.Email, mapped.Unique()),
		Age:   mapped.Col(t, &u.Age),
	}
})

// exampleDB opens a new in-memory SQLite database holding the users table.
func exampleDB() dialect.DB {
	ctx := context.Background()
	db, err := connect.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	if err := mapped.CreateAll(ctx, db, Users.Table); err != nil {
		panic(err)
	}
	return db
}

func ExampleRepo_Insert() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)

	ada := &User{Name: "Ada", Email: "ada@example.com", Age: 36}
	err := users.Insert(ctx, ada) // the generated key is filled in
	fmt.Println(ada.ID, err)

	err = users.Insert(ctx, &User{Name: "Impostor", Email: "ada@example.com"})
	fmt.Println(errors.Is(err, dialect.ErrUnique))
	// Output:
	// 1 <nil>
	// true
}

func ExampleRepo_Get() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.Insert(ctx, &User{Name: "Ada", Email: "ada@example.com"})

	u, err := users.Get(ctx, 1)
	fmt.Println(u.Name, err)
	_, err = users.Get(ctx, 2)
	fmt.Println(errors.Is(err, repo.ErrNotFound))
	// Output:
	// Ada <nil>
	// true
}

func ExampleRepo_Where() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.InsertMany(ctx, []*User{
		{Name: "Ada", Email: "ada@example.com", Age: 36},
		{Name: "Alan", Email: "alan@example.com", Age: 41},
		{Name: "Grace", Email: "grace@example.com", Age: 85},
		{Name: "Al", Email: "al@example.com", Age: 12},
	})

	adults, err := users.Where(Users.Name.HasPrefix("A"), Users.Age.Ge(18)).
		OrderBy(Users.Age.Desc()).
		All(ctx)
	for _, u := range adults {
		fmt.Println(u.Name, u.Age)
	}
	n, _ := users.Where(Users.Age.Lt(18).Or(Users.Age.Gt(80))).Count(ctx)
	fmt.Println(n, err)
	// Output:
	// Alan 41
	// Ada 36
	// 2 <nil>
}

func ExampleRepo_Update() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.Insert(ctx, &User{Name: "Ada", Email: "ada@example.com", Age: 36})

	u, _ := users.Get(ctx, 1)
	u.Name, u.Age = "Ada Lovelace", 0
	err := users.Update(ctx, u, Users.Name) // writes the name only
	fmt.Println(err)

	u, _ = users.Get(ctx, 1)
	fmt.Println(u.Name, u.Age)
	// Output:
	// <nil>
	// Ada Lovelace 36
}

func ExampleRepo_Upsert() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.Insert(ctx, &User{Name: "Ada", Email: "ada@example.com", Age: 36})

	// The email is taken, so the stored row is updated and its key filled in.
	u := &User{Name: "Ada Lovelace", Email: "ada@example.com", Age: 37}
	err := users.Upsert(ctx, u, Users.Email)
	fmt.Println(u.ID, err)

	n, _ := users.Count(ctx)
	stored, _ := users.Get(ctx, u.ID)
	fmt.Println(n, stored.Name, stored.Age)
	// Output:
	// 1 <nil>
	// 1 Ada Lovelace 37
}

func ExampleRepo_DeleteWhere() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.InsertMany(ctx, []*User{
		{Name: "Ada", Email: "ada@example.com", Age: 36},
		{Name: "Al", Email: "al@example.com", Age: 12},
		{Name: "Bo", Email: "bo@example.com", Age: 9},
	})

	n, err := users.DeleteWhere(ctx, Users.Age.Lt(18))
	fmt.Println(n, err)

	// The zero condition is refused; query.AllRows[User]() means every row.
	var everything query.Cond[User]
	_, err = users.DeleteWhere(ctx, everything)
	fmt.Println(errors.Is(err, repo.ErrNoCondition))
	// Output:
	// 2 <nil>
	// true
}

func ExampleQuery_Iter() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.InsertMany(ctx, []*User{
		{Name: "Ada", Email: "ada@example.com"},
		{Name: "Grace", Email: "grace@example.com"},
		{Name: "Alan", Email: "alan@example.com"},
	})

	for u, err := range users.OrderBy(Users.Name.Asc()).Iter(ctx) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(u.Name)
		if u.Name == "Alan" {
			break // stopping early closes the cursor
		}
	}
	// Output:
	// Ada
	// Alan
}

func ExampleQuery_One() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	users := repo.New(db, Users.Table)
	_ = users.InsertMany(ctx, []*User{
		{Name: "Ada", Email: "ada@example.com", Age: 36},
		{Name: "Grace", Email: "grace@example.com", Age: 85},
	})

	_, err := users.Query().One(ctx) // two rows match
	fmt.Println(errors.Is(err, repo.ErrNotUnique))

	// One and First keep the query's own Limit.
	u, err := users.OrderBy(Users.Age.Desc()).Limit(1).One(ctx)
	fmt.Println(u.Name, err)
	u, err = users.OrderBy(Users.Age.Asc()).First(ctx)
	fmt.Println(u.Name, err)

	_, err = users.Where(Users.Age.Gt(100)).First(ctx)
	fmt.Println(errors.Is(err, repo.ErrNotFound))
	// Output:
	// true
	// Grace <nil>
	// Ada <nil>
	// true
}
