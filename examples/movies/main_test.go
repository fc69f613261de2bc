package main

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// TestRun runs the tour on every dialect and checks what it prints.
func TestRun(t *testing.T) {
	want := `movies released after 2010:
  2013-08-23  Pain & Gain
  2015-04-02  Furious 7
casts:
  The Bourne Identity  Matt Damon
  Pain & Gain          Dwayne Johnson, Mark Wahlberg
  Furious 7            Dwayne Johnson
movies of Dwayne Johnson: Pain & Gain, Furious 7
actors with a stuntman:
  Dwayne Johnson   John Roe (active: true)
  Mark Wahlberg    Richard Roe (active: false)
  Matt Damon       John Doe (active: true)
actors with an active stuntman: Dwayne Johnson, Matt Damon
actors living in Glendale:
  Dwayne Johnson: 415 555 2671 (Burbank, CA), 423 555 5623 (Glendale, CA)
roles of actors whose name starts with M:
  Pain & Gain          Mark Wahlberg
  The Bourne Identity  Matt Damon
cast of Furious 7: Dwayne Johnson, Vin Diesel
movies of Vin Diesel: Pain & Gain, Furious 7
movies of Vin Diesel: Furious 7
`
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		var out strings.Builder
		if err := run(context.Background(), db, &out); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != want {
			t.Errorf("output:\n%s\nwant:\n%s", got, want)
		}
	})
}
