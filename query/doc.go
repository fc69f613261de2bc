// Package query is genrepo's typed SQL expression language, SQLAlchemy
// Core with the types kept: conditions, orderings, aggregates, projections
// and the SELECT, INSERT, UPDATE and DELETE statements, rendered for a
// dialect with every value bound as a parameter.
//
// Most code meets this package through the columns of package mapped,
// whose methods build its values, and through package repo, which runs
// them. It is also usable on its own, with any Column and Source.
//
// # Conditions
//
// A Cond[T] is a condition on rows of type T. The type parameter is what
// keeps a condition on tracks out of a query of artists, and a column's
// value type is what keeps Artists.Name.Eq(42) from compiling:
//
//	c := query.And(Artists.Name.HasPrefix("Q"), Artists.ID.Lt(100))
//	c = c.Or(Artists.Name.Eq("M83"))
//	c = query.Not(c)
//
// Conditions are immutable values. The zero Cond means "no condition": And
// and Or skip it, and bulk updates and deletes refuse it, so that a
// forgotten condition never touches a whole table; AllRows says "every
// row" on purpose. Comparing with a value that binds as NULL (a nil
// pointer, an invalid sql.Null) with Eq or Ne writes IS NULL or IS NOT
// NULL, as SQL needs.
//
// In and NotIn take any number of values, each compared exactly as it
// would be bound as a parameter of its own, and stay under the dialect's
// parameter limit. On PostgreSQL the list is one array parameter
// (= ANY($1)). On SQLite a list of up to 500 values takes one placeholder
// per value, IN (?, ?, …), and a longer list is one JSON parameter
// expanded by json_each, whatever its length:
//
//	"id" IN (SELECT +value FROM json_each(?))        -- [1,2,3,…]
//	"data" IN (SELECT unhex(value) FROM json_each(?)) -- ["00ff","cafe",…]
//
// Each value is converted as database/sql converts a parameter (a
// driver.Valuer's Value, then driver.DefaultParameterConverter: pointers
// followed, sql.Null and named types reduced to their values) and written
// so that SQLite reads back what the driver would have bound: integers,
// floats in exponent form (exact, and REAL even when integral; ±Inf too),
// text byte for byte (invalid UTF-8 and NUL included), []byte as hex turned
// back into a BLOB, nil as NULL, and a NaN as NULL too, as SQLite binds
// it (only a driver.Valuer can hand one over: a float column's codec
// refuses NaN on SQLite first, with dialect.ErrNotStorable). The unary +
// leaves the values without affinity, as bound parameters are, so the
// column's affinity applies to them alike. A list whose values have no
// such form (a time.Time that a Valuer hands to the driver, which formats
// it itself; byte strings beside other values) is bound one value per
// parameter, and refused with an error naming the column beyond the
// dialect's parameter limit. An empty list matches no row.
//
// Like matches a pattern (% any run, _ any one character) case-sensitively
// on every dialect. Contains, HasPrefix and HasSuffix answer exactly as
// strings.Contains, HasPrefix and HasSuffix do, for any bytes: %, _ and \
// match themselves, the empty string matches every value, and NULL matches
// neither a condition nor its negation. On PostgreSQL they are LIKE with
// the argument escaped (its text holds no NUL byte nor invalid UTF-8, and
// such an argument is refused with dialect.ErrInvalidText). SQLite's LIKE
// stops at a NUL byte, so there they compare bytes instead
// (dialect.Features.ByteTextMatch), Contains and HasPrefix as
//
//	instr(CAST("body" AS BLOB), CAST(? AS BLOB)) > 0
//	coalesce(substr(CAST("body" AS BLOB), 1, ?), CAST("body" AS BLOB)) = CAST(? AS BLOB)
//
// and HasSuffix as HasPrefix with substr(…, -?, ?): the ? of substr are
// the length of the argument in bytes.
//
// SQLite uses no index for these forms (it can for LIKE 'abc%'). On
// SQLite, Like and ILike read a stored value only up to its first NUL
// byte, and a pattern holding one is refused with dialect.ErrInvalidText.
//
// The case-insensitive mode is ILIKE on PostgreSQL, folding letters as the
// database's locale does. On SQLite only the ASCII letters A to Z fold;
// Contains, HasPrefix and HasSuffix then compare every other byte exactly,
// so they answer as the strings functions do on both sides folded that
// way.
//
// # Projections
//
// Select1 to Select4 read chosen columns and aggregates into typed values
// (Select2 yields Row2[A, B], and so on). A Projection is immutable: each
// method returns a new one.
//
//	rows, err := query.Select2(Tracks.Genre, query.Count()).
//		GroupBy(Tracks.Genre).
//		Having(query.Count().Gt(10)).
//		OrderBy(query.Count().Desc()).
//		All(ctx, db) // []query.Row2[string, int64]
//
// All loads every row, Iter yields them one at a time as they arrive, One
// returns the only row (ErrNotFound when there is none, ErrNotUnique when
// there are more) and First the first in the projection's order
// (ErrNotFound when there is none). The projection's own Limit and Offset
// apply first, so Limit(1).One finds at most one row. A Projection made by
// Select1 is also a subquery for InQuery.
//
// A statement reads one table, and those it joins through relations (Join,
// LeftJoin; see package relation): a condition or column of any other
// table is an error when the statement is built.
//
//	rows, err := query.Select2(Artists.Name, Tracks.Title).Join(ArtistTracks).All(ctx, db)
//
// JoinOn and LeftJoinOn join a table on a condition written out, for
// tables no relation links and for a table read under another name. As
// makes such an alias, a typed copy of a table for self-joins and for a
// table joined twice; ColOf reads its columns:
//
//	type manager struct{}
//	mgr := query.As[manager](Employees, "manager")
//	rows, err := query.Select2(Employees.LastName, query.ColOf(mgr, Employees.LastName)).
//		JoinOn(mgr, Employees.ReportsTo.EqCol(query.Ptr(query.ColOf(mgr, Employees.ID)))).
//		All(ctx, db)
//
// The alias's conditions are Cond[manager], not Cond[Employee], so they
// do not compile where a query of the table itself takes its conditions.
// A table read and joined again, or joined twice, without an alias fails
// the statement, naming the table.
//
// # Computed expressions
//
// Arithmetic and functions build a Term[T, V] (a Num for numbers): an
// expression of a type the compiler knows, over the rows of T, usable
// wherever a column is — selected, compared, grouped by, ordered by,
// aggregated and assigned in an UPDATE:
//
//	revenue := query.Sum(query.TimesInt(Lines.UnitPrice, Lines.Quantity)) // Agg[Money]
//	year := query.Year(Invoices.Date)                                      // Term[Invoice, int64]
//	rows, err := query.Select2(year, revenue).GroupBy(year).All(ctx, db)
//	n, err := products.UpdateWhere(ctx, Products.Stock.Lt(10),
//		Products.Stock.SetExpr(Products.Stock.Plus(100)))                 // a mapped.NumberColumn
//
// Plus, Minus, Times, Div, Mod and Neg take numbers only (Number), of one
// type on both sides; Lower, Upper, Trim, Length and Concat take text
// (Textual); Year, Month, Day and the truncations take times (Temporal):
// arithmetic on a string or Year of a string does not compile. Coalesce,
// Cast, Greatest, Least, Now and When/Else (CASE) complete the set; Num
// says what integer division, Mod, overflow and division by zero do on
// each dialect. Ptr, Deref and NullValue let a nullable expression (a
// *int64 foreign key) meet a NOT NULL one of the same base type, in a
// comparison or an IN subquery, with the SQL unchanged. SumDecimal and
// AvgDecimal add up decimal types of any Go shape, exactly on PostgreSQL.
//
// A GROUP BY or ORDER BY expression that binds a parameter and is
// selected too is written as its position in the select list (GROUP BY
// 1), since PostgreSQL sees two parameters as two expressions; one that
// is not selected may be grouped by, but PostgreSQL then refuses it in
// ORDER BY and HAVING.
//
// # Window functions
//
// RowNumber, Rank and DenseRank, and any aggregate, are computed over a
// Window with Over: a value per row rather than per group, of a type the
// compiler knows (int64 for the rankings, the aggregate's own otherwise),
// selected with Select1…Select4 or Field and ordered by like any other:
//
//	byGenre := query.PartitionBy(Tracks.GenreID).OrderBy(Tracks.Plays.Desc(), Tracks.ID.Asc())
//	rows, err := query.Select3(Tracks.GenreID, Tracks.Name, query.RowNumber().Over(byGenre)).All(ctx, db)
//	running := query.Sum(Lines.Quantity).Over(query.PartitionBy(Lines.InvoiceID).OrderBy(Lines.ID.Asc()))
//	total := query.Sum(Lines.Quantity).Over(query.Window{}) // OVER (): every row
//
// SQL computes them after WHERE, GROUP BY and HAVING, and allows them only
// in the select list and ORDER BY: one anywhere else (a condition in Where
// or Having, GROUP BY, a join's ON, UPDATE's SET, inside an aggregate or
// another window) fails the statement with an error naming the clause,
// before anything is sent. Their conditions are Cond[Windowed], which no
// repository takes. To keep the top N rows of each group, filter on the
// RowNumber in a query that reads this one as a table.
//
// # Statements and rendering
//
// Select, Insert, Update and Delete are plain structs that packages above
// fill in. Render writes any Statement for a dialect and returns the SQL
// text and its arguments; Debug (and a Projection's String) writes it with
// PostgreSQL's $n placeholders, for reading and logging:
//
//	sql, args, err := query.Render(db.Dialect(), stmt)
//	fmt.Println(query.Debug(stmt))
//
// A problem found while building a statement (a feature the dialect
// lacks, wrapping dialect.ErrUnsupported; a string PostgreSQL cannot
// store, wrapping dialect.ErrInvalidText; a value the dialect would store
// as another one, wrapping dialect.ErrNotStorable; a column of a table the
// statement does not read; too many parameters) is returned by Render,
// and nothing is sent to the database.
//
// # Raw SQL
//
// Raw is the escape hatch for what the typed operators cannot say: an SQL
// fragment whose ? placeholders bind the given arguments, on every
// dialect. RawValue gives the fragment a result type, and Where makes a
// condition of it:
//
//	long := query.Where[Track](query.Raw("length(title) > ?", 40))
//	n := query.RawValue[int64]("length(title)")
//
// The fragment's text is written as given, so it must never be built from
// untrusted input; values always go through the arguments.
//
// # Values and codecs
//
// A Codec moves values of one Go type to and from the driver; CodecFor
// picks it once per column. Most types pass through unchanged. Times are
// truncated to microseconds on every dialect, refused outside the range the
// dialect stores (dialect.ErrNotStorable) and, on SQLite, written as UTC
// text (dialect.FormatTime) and parsed back; strings are checked before
// they are sent to PostgreSQL; floats are checked for NaN on SQLite, which
// would store NULL; NumericCodec binds a NUMERIC column's decimals as
// numbers on SQLite and reads them back as decimal text; JSONCodec
// marshals any value to JSON text.
//
// # Concurrency
//
// Conditions, orderings, aggregates, projections and codecs are immutable
// and safe to share between goroutines. A Builder belongs to one
// goroutine, as do the statement structs while they are being filled in.
package query
