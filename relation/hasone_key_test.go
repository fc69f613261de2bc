package relation_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
)

// TestHasOneRefusesPartOfCompositeKey checks that a foreign key that is
// only one column of a composite primary key, and so not unique by
// itself, cannot carry a one-to-one relation.
func TestHasOneRefusesPartOfCompositeKey(t *testing.T) {
	type part struct{ OwnerID, N int64 }
	type owner struct {
		ID   int64
		Part *part
	}
	owners := mapped.Define("ho_owner", func(t *mapped.Table[owner], o *owner) mapped.Column[owner, int64] {
		return mapped.PrimaryKey(t, &o.ID)
	})
	var fk mapped.Column[part, int64]
	mapped.Define("ho_part", func(t *mapped.Table[part], p *part) int {
		fk = mapped.ForeignKey(t, &p.OwnerID, owners, mapped.InPrimaryKey())
		mapped.PrimaryKey(t, &p.N)
		return 0
	})
	var msg string
	func() {
		defer func() { msg = fmt.Sprint(recover()) }()
		relation.HasOne(fk, func(o *owner) **part { return &o.Part })
	}()
	if !strings.Contains(msg, "must be unique") {
		t.Errorf("HasOne on part of a composite key: panic %q, want a uniqueness complaint", msg)
	}
}
