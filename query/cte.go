package query

// CTE returns projection p as a common table expression named name: the
// statements that read it (in From, JoinOn or LeftJoinOn) begin with
// WITH "name"("c1", …) AS (p). SubCol gives its columns, as for Derived:
//
//	big := query.CTE("big", query.Select2(Tracks.ArtistID, query.Count()).GroupBy(Tracks.ArtistID))
//	n := query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V2 })
//	q := query.Select1(query.SubCol(big, func(r *query.Row2[int64, int64]) *int64 { return &r.V1 })).
//		Where(n.Gt(10))
//
// A nil p or an empty name fails the statements that read it.
func CTE[R any](name string, p *Projection[R]) *Sub[R] {
	s := newSub(p, name, "common table expression")
	s.cte = true
	return s
}

// Recursive returns a recursive common table expression named name:
// base's rows, then, again and again until it yields no new row, the
// rows step yields from the rows found so far. step is given the CTE
// itself to read (join it with JoinOn, or read it in From), and returns
// the recursive part, which must select into R's fields in base's order.
// The statements that read it begin with
//
//	WITH RECURSIVE "name"("c1", …) AS (base UNION ALL step)
//
// An org chart, every employee under employee 1 with their depth:
//
//	type node struct{ ID, Depth int64 }
//	org := query.Recursive("org", query.SelectInto(func(r *node, s *query.Fields[node]) {
//		query.Field(s, &r.ID, Staff.ID)
//		query.Field(s, &r.Depth, query.Val[int64](0))
//	}).Where(Staff.ID.Eq(1)), func(org *query.Sub[node]) *query.Projection[node] {
//		return query.SelectInto(func(r *node, s *query.Fields[node]) {
//			query.Field(s, &r.ID, Staff.ID)
//			query.Field(s, &r.Depth, query.SubCol(org, func(r *node) *int64 { return &r.Depth }).Plus(1))
//		}).JoinOn(org, Staff.ManagerID.EqCol(query.Ptr(query.SubCol(org, func(r *node) *int64 { return &r.ID }))))
//	})
//
// UNION ALL keeps duplicates: a cycle in the data makes the query run
// without end unless step stops it (a depth limit in its Where). A nil
// base or step, a nil step result, or a step selecting other fields than
// base fails the statements that read the CTE.
func Recursive[R any](name string, base *Projection[R], step func(self *Sub[R]) *Projection[R]) *Sub[R] {
	s := newSub(base, name, "recursive common table expression")
	s.cte = true
	if s.err != nil {
		return s
	}
	if step == nil {
		s.err = errorf("recursive common table expression %q has no step", name)
		return s
	}
	// The step reads s before it is complete: only its name and base's
	// columns, which SubCol needs.
	p := step(s)
	switch {
	case p == nil:
		s.err = errorf("recursive common table expression %q: the step returns no projection", name)
	case p.err != nil:
		s.err = p.err
	case !sameSpans(p.spans, base.spans):
		s.err = errorf("recursive common table expression %q: the step selects other fields of %s than the base, or in another order", name, typeName[R]())
	default:
		s.err = recursivePart(name, "base", &base.stmt, s)
		if s.err == nil {
			s.err = recursivePart(name, "step", &p.stmt, s)
		}
	}
	if s.err == nil {
		s.step = p
	}
	return s
}

// recursivePart refuses what cannot stand on either side of a recursive
// common table expression's UNION ALL: ORDER BY, LIMIT and OFFSET, which
// would apply to the union, and another common table expression, whose
// WITH would land after UNION ALL.
func recursivePart(name, part string, st *Select, self Source) error {
	if len(st.OrderBy) > 0 || st.HasLimit || st.Limit != 0 || st.Offset != 0 {
		return errorf("recursive common table expression %q: its %s has ORDER BY, LIMIT or OFFSET, which a recursive query cannot take: order and limit the statement that reads it", name, part)
	}
	reads := []Source{st.From}
	for _, j := range st.Joined {
		reads = append(reads, j.Table)
	}
	for _, src := range reads {
		if c, ok := src.(interface{ isCTE() bool }); ok && c.isCTE() && src != self {
			return errorf("recursive common table expression %q: its %s reads the common table expression %q, which it cannot define: read it as a derived table (Derived) instead", name, part, src.TableName())
		}
	}
	return nil
}

func sameSpans(a, b [][2]uintptr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// withDef is a common table expression a statement defines in its WITH.
type withDef interface {
	Source
	isCTE() bool
	recursive() bool
	appendDef(b *Builder)
}

func (s *Sub[R]) recursive() bool { return s.step != nil }

// appendDef writes "name"("c1", …) AS (…).
func (s *Sub[R]) appendDef(b *Builder) {
	if s.err != nil {
		b.Fail(s.err)
		return
	}
	b.Ident(s.name)
	b.WriteByte('(')
	for i, n := range columnNames(len(s.p.stmt.Columns)) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(n)
	}
	b.WriteString(") AS (")
	if s.step != nil {
		b.with = append(b.with, s) // the step reads the CTE being defined
	}
	s.p.stmt.AppendSQL(b)
	if s.step != nil {
		b.WriteString(" UNION ALL ")
		s.step.stmt.AppendSQL(b)
	} else {
		b.with = append(b.with, s)
	}
	b.WriteByte(')')
}

// appendWith writes the WITH clause of a statement reading from and the
// tables of joins, for the common table expressions among them that no
// WITH around the statement defines, and returns how many it defined:
// they stay defined until the statement ends (popWith).
func appendWith(b *Builder, from Source, joins []JoinClause) int {
	var defs []withDef
	add := func(s Source) {
		if d, ok := s.(withDef); ok && d.isCTE() && !b.withDefined(d) {
			defs = append(defs, d)
		}
	}
	add(from)
	for _, j := range joins {
		add(j.Table)
	}
	if len(defs) == 0 {
		return 0
	}
	n := len(b.with)
	b.WriteString("WITH ")
	for _, d := range defs {
		if d.recursive() {
			b.WriteString("RECURSIVE ")
			break
		}
	}
	for i, d := range defs {
		if i > 0 {
			b.WriteString(", ")
		}
		d.appendDef(b)
	}
	b.WriteByte(' ')
	return len(b.with) - n
}

func (s *Sub[R]) isCTE() bool { return s.cte }

// withDefined reports whether a WITH around the text being written
// defines s.
func (b *Builder) withDefined(s Source) bool {
	for _, w := range b.with {
		if w == s {
			return true
		}
	}
	return false
}

// popWith ends the scope of the last n common table expressions defined.
func (b *Builder) popWith(n int) { b.with = b.with[:len(b.with)-n] }
