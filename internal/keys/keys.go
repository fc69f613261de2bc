// Package keys turns the driver arguments of a row's primary key into one
// comparable value, equal for equal keys, for maps of rows by key.
package keys

import (
	"fmt"
	"strings"
	"time"
)

// Identity returns a comparable identity for key, the driver arguments of
// a row's key columns in order. A composite key is spelt as Go syntax,
// each value with its type, so that no two keys spell alike (a text value
// holding the separator, say).
func Identity(key []any) any {
	if len(key) == 1 {
		return Of(key[0])
	}
	var sb strings.Builder
	for _, k := range key {
		k = Of(k)
		fmt.Fprintf(&sb, "%T:%#v\x00", k, k)
	}
	return sb.String()
}

// Of returns a comparable form of one key column's driver argument, equal
// for equal keys: bytes as a string, a time as its instant in UTC (a
// time's zone is no part of the key it is).
func Of(a any) any {
	switch x := a.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Round(0)
	}
	return a
}
