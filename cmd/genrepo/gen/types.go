package gen

import (
	"fmt"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
)

// goType is what a column's SQL type becomes in Go: the field's type when
// the column is NOT NULL, the constructor that declares it and the options
// that keep its SQL type.
type goType struct {
	base    string   // the Go type of a NOT NULL value: int64, string, time.Time…
	ctor    string   // Col, Text or JSON
	opts    []string // options such as mapped.Size(120)
	imports []string // packages base and opts need, beside mapped
	integer bool     // an integer type, which a single primary key may generate
	auto    bool     // a serial type: the database generates its values
}

// custom is the option that keeps an SQL type genrepo has no kind for.
func custom(name string) string {
	return fmt.Sprintf("mapped.Type(dialect.Type{Kind: dialect.Custom, Name: %q})", name)
}

// mapType returns the Go mapping of column c's type on dialect, or an
// error saying why genrepo cannot map it.
func mapType(dialect string, c *schema.Column) (goType, error) {
	if dialect == Postgres {
		return mapPostgres(c.Type.Type)
	}
	g, err := mapSQLite(c.Type.Type)
	switch c.Type.Type.(type) {
	case *schema.TimeType, *schema.JSONType:
		// genrepo declares times and JSON TEXT on SQLite; keep the
		// declared name (DATETIME's affinity is NUMERIC, not TEXT).
		if err == nil && !strings.EqualFold(c.Type.Raw, "TEXT") {
			g.opts, g.imports = append(g.opts, custom(c.Type.Raw)), append(g.imports, pkgDialect)
		}
	}
	return g, err
}

func mapPostgres(t schema.Type) (goType, error) {
	switch t := t.(type) {
	case *schema.IntegerType:
		return pgInteger(t.T)
	case *postgres.SerialType:
		g, err := pgInteger(map[string]string{"smallserial": "smallint", "serial": "integer", "bigserial": "bigint"}[t.T])
		g.auto = true
		return g, err
	case *schema.StringType:
		switch t.T {
		case "character varying", "varchar":
			return text(t.Size), nil
		case "text":
			return text(0), nil
		case "character", "char", "bpchar":
			return goType{base: "string", ctor: "Text", opts: []string{custom(fmt.Sprintf("character(%d)", max(t.Size, 1)))},
				imports: []string{pkgDialect}}, nil
		}
	case *schema.DecimalType:
		return numeric(t), nil
	case *schema.FloatType:
		if t.T == "real" || t.T == "float4" {
			return goType{base: "float32", ctor: "Col"}, nil
		}
		return goType{base: "float64", ctor: "Col"}, nil
	case *schema.BoolType:
		return goType{base: "bool", ctor: "Col"}, nil
	case *schema.BinaryType:
		return goType{base: "[]byte", ctor: "Col"}, nil
	case *schema.TimeType:
		switch t.T {
		case "timestamp with time zone", "timestamptz":
			return goType{base: "time.Time", ctor: "Col", imports: []string{"time"}}, nil
		case "timestamp without time zone", "timestamp":
			return goType{base: "time.Time", ctor: "Col", opts: []string{custom("timestamp")}, imports: []string{"time", pkgDialect}}, nil
		case "date":
			return goType{base: "time.Time", ctor: "Col", opts: []string{custom("date")}, imports: []string{"time", pkgDialect}}, nil
		}
	case *schema.JSONType:
		g := goType{base: "json.RawMessage", ctor: "JSON", imports: []string{"encoding/json"}}
		if t.T == "json" {
			g.opts, g.imports = []string{custom("json")}, append(g.imports, pkgDialect)
		}
		return g, nil
	case *schema.UUIDType:
		return goType{base: "string", ctor: "Col", opts: []string{custom("uuid")}, imports: []string{pkgDialect}}, nil
	}
	return goType{}, fmt.Errorf("genrepo has no Go type for %s", typeName(t))
}

func pgInteger(name string) (goType, error) {
	switch name {
	case "smallint", "int2":
		return goType{base: "int16", ctor: "Col", integer: true}, nil
	case "integer", "int", "int4":
		return goType{base: "int32", ctor: "Col", integer: true}, nil
	case "bigint", "int8":
		return goType{base: "int64", ctor: "Col", integer: true}, nil
	}
	return goType{}, fmt.Errorf("genrepo has no Go type for %s", name)
}

func mapSQLite(t schema.Type) (goType, error) {
	switch t := t.(type) {
	case *schema.IntegerType:
		// Every SQLite integer is a 64-bit one, whatever the declared name.
		return goType{base: "int64", ctor: "Col", integer: true}, nil
	case *schema.StringType:
		return text(t.Size), nil
	case *schema.DecimalType:
		return numeric(t), nil
	case *schema.FloatType:
		return goType{base: "float64", ctor: "Col"}, nil
	case *schema.BoolType:
		return goType{base: "bool", ctor: "Col"}, nil
	case *schema.BinaryType:
		return goType{base: "[]byte", ctor: "Col"}, nil
	case *schema.TimeType:
		// Text genrepo's dialect reads as times (dialect.ParseTime); a
		// time of day alone is not one.
		if t.T != "time" {
			return goType{base: "time.Time", ctor: "Col", imports: []string{"time"}}, nil
		}
	case *schema.JSONType:
		return goType{base: "json.RawMessage", ctor: "JSON", imports: []string{"encoding/json"}}, nil
	case *schema.UUIDType:
		return text(0), nil
	}
	return goType{}, fmt.Errorf("genrepo has no Go type for %s", typeName(t))
}

func text(size int) goType {
	g := goType{base: "string", ctor: "Text"}
	if size > 0 {
		g.opts = []string{fmt.Sprintf("mapped.Size(%d)", size)}
	}
	return g
}

// numeric maps a decimal to a string holding its decimal text, which
// genrepo's NUMERIC codec binds and reads on both dialects.
func numeric(t *schema.DecimalType) goType {
	return goType{base: "string", ctor: "Col", opts: []string{fmt.Sprintf("mapped.Type(mapped.Numeric(%d, %d))", t.Precision, t.Scale)}}
}

// typeName names an SQL type for messages: the name Atlas read where it
// keeps one, else Atlas's type.
func typeName(t schema.Type) string {
	switch t := t.(type) {
	case nil:
		return "a column with no type"
	case *schema.UnsupportedType:
		return t.T
	case *schema.EnumType:
		return "enum " + t.T
	case *schema.SpatialType:
		return t.T
	case *schema.TimeType:
		return t.T
	case *postgres.ArrayType:
		return t.T
	case *postgres.NetworkType:
		return t.T
	case *postgres.IntervalType:
		return t.T
	case *postgres.UserDefinedType:
		return t.T
	case *sqlite.UserDefinedType:
		return t.T
	}
	return fmt.Sprintf("%T", t)
}
