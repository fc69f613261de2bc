// Package qualified is a model whose table lives in a named schema, which
// migrate diff refuses.
package qualified

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

// Ledger is a row of billing.ledger.
type Ledger struct{ ID int64 }

// Ledgers maps billing.ledger.
var Ledgers = mapped.Define("ledger", func(t *mapped.Table[Ledger], l *Ledger) *mapped.Table[Ledger] {
	t.InSchema("billing")
	mapped.PrimaryKey(t, &l.ID)
	return t
})

// Model holds the ledger.
var Model = model.MustNew(model.Tables(Ledgers))
