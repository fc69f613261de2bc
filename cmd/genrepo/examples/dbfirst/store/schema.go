// Package store maps the tables of a database to Go, as genrepo gen read them:
// a struct per row, a typed table, the relations of the foreign keys and the
// Model holding them all. It is a starting point: rename, trim and document
// it as your own code.
package store

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
)

// Address is a row of the address table.
type Address struct {
	ID           int64
	UserID       int64
	EmailAddress string
	User         *UserAccount
}

// AddressTable holds the typed columns of the address table.
type AddressTable struct {
	*mapped.Table[Address]
	ID           mapped.Column[Address, int64]
	UserID       mapped.Column[Address, int64]
	EmailAddress mapped.TextColumn[Address, string]
}

// Addresses maps the address table.
var Addresses = mapped.Define("address", func(t *mapped.Table[Address], a *Address) AddressTable {
	return AddressTable{
		Table:        t,
		ID:           mapped.PrimaryKey(t, &a.ID),
		UserID:       mapped.ForeignKey(t, &a.UserID, UserAccounts.ID, mapped.OnDelete(mapped.Cascade)),
		EmailAddress: mapped.Text(t, &a.EmailAddress, mapped.Size(100), mapped.Index()),
	}
})

// UserAccount is a row of the user_account table.
type UserAccount struct {
	ID        int64
	Name      string
	Fullname  *string
	Addresses []*Address
}

// UserAccountTable holds the typed columns of the user_account table.
type UserAccountTable struct {
	*mapped.Table[UserAccount]
	ID       mapped.Column[UserAccount, int64]
	Name     mapped.TextColumn[UserAccount, string]
	Fullname mapped.TextColumn[UserAccount, *string]
}

// UserAccounts maps the user_account table.
var UserAccounts = mapped.Define("user_account", func(t *mapped.Table[UserAccount], u *UserAccount) UserAccountTable {
	return UserAccountTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &u.ID),
		Name:     mapped.Text(t, &u.Name, mapped.Size(30), mapped.Unique()),
		Fullname: mapped.Text(t, &u.Fullname),
	}
})

// The relations of the foreign keys.
var (
	// UserAccountAddresses is one-to-many from user_account to the address rows whose user_id references it.
	UserAccountAddresses = relation.HasMany(Addresses.UserID,
		func(u *UserAccount) *[]*Address { return &u.Addresses }).
		Back(func(a *Address) **UserAccount { return &a.User })
	// AddressUser is many-to-one from address to the user_account row its user_id references.
	AddressUser = relation.BelongsTo(Addresses.UserID, func(a *Address) **UserAccount { return &a.User })
)

// Model is every table, with the cascades of the foreign keys' ON DELETE.
var Model = model.MustNew(
	model.Tables(Addresses.Table, UserAccounts.Table),
	model.OnDelete(UserAccountAddresses, mapped.Cascade),
)
