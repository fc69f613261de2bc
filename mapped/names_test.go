package mapped_test

import (
	"strings"
	"testing"

	"github.com/genrepo/genrepo/mapped"
)

type address struct {
	City    string
	ZIPCode string
}

type audit struct {
	CreatedBy string
}

type customer struct {
	ID         int64
	HTTPHandle string
	UnitPrice2 float64
	Billing    address
	LegacyName string
	ReferrerID *int64
	audit
}

type customerTable struct {
	*mapped.Table[customer]
	ID         mapped.Column[customer, int64]
	HTTPHandle mapped.TextColumn[customer, string]
	UnitPrice2 mapped.Column[customer, float64]
	City       mapped.TextColumn[customer, string]
	ZIP        mapped.TextColumn[customer, string]
	Legacy     mapped.TextColumn[customer, string]
	Referrer   mapped.Column[customer, *int64]
	CreatedBy  mapped.TextColumn[customer, string]
}

// TestColumnNames checks that a column is named the snake_case of its
// field unless Name says otherwise, that a nested struct's field is
// prefixed by the field holding it and an embedded one's is not, and that
// Define fills the embedded table.
func TestColumnNames(t *testing.T) {
	customers := mapped.Define("customer", func(t *mapped.Table[customer], c *customer) customerTable {
		return customerTable{
			ID:         mapped.PrimaryKey(t, &c.ID),
			HTTPHandle: mapped.Text(t, &c.HTTPHandle),
			UnitPrice2: mapped.Col(t, &c.UnitPrice2),
			City:       mapped.Text(t, &c.Billing.City),
			ZIP:        mapped.Text(t, &c.Billing.ZIPCode),
			Legacy:     mapped.Text(t, &c.LegacyName, mapped.Name("LegacyNAME")),
			Referrer:   mapped.Col(t, &c.ReferrerID),
			CreatedBy:  mapped.Text(t, &c.CreatedBy),
		}
	})
	if customers.Table == nil {
		t.Fatal("Define left the embedded table nil")
	}
	var got []string
	for _, c := range customers.Info().Columns {
		got = append(got, c.Name)
	}
	want := "id http_handle unit_price2 billing_city billing_zip_code LegacyNAME referrer_id created_by"
	if strings.Join(got, " ") != want {
		t.Errorf("column names:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}
