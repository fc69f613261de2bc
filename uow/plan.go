package uow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

// flushPlan is a flush as the steps it sends, in order, each step's
// statements bound only when it is sent, once the steps before it filled
// in the keys it needs; then, when it deletes rows or association rows
// (whose rules, or the database's ON DELETE, reach the rows referencing
// them), a re-read of the loaded rows cascades may have deleted or
// changed. schedule makes it without sending anything; write sends it;
// String prints it (Unit.Plan).
type flushPlan struct {
	p       *plan
	steps   []step
	recheck bool
}

// step is what a flush sends in one go: the statements of its operations
// in one batch (one round trip where the dialect batches), or one
// operation that sends its own statements (opPairs, opCascade).
type step struct{ ops []op }

// opKind is what an operation of a flush does.
type opKind uint8

const (
	opInsert  opKind = iota // INSERT new rows of a table, in order
	opUpdate                // UPDATE the changed columns of loaded rows
	opDelete                // DELETE rows
	opCascade               // run the model's cascades, then DELETE the rows in rounds of their own
	opPairs                 // write the association rows of a many-to-many collection
)

// op is an operation of a flush on one table's rows: the new rows of an
// INSERT round (rows), or the rows the table's plan holds (see
// tracker.planUpdates, planDeletes); or one collection's association rows
// (opPairs).
type op struct {
	kind  opKind
	tr    tracker
	rows  []any
	pairs *pairs
}

// schedule orders a planned flush into steps, sending nothing:
//
//   - every round of INSERTs alone, each waiting for the keys of the one
//     before, but the last when nothing after it needs its keys before
//     the final batch (no association rows, no loaded row taking a
//     foreign key from it);
//   - each collection's association rows, which need both sides' keys;
//   - one batch of, table by table with referenced tables first, the
//     UPDATEs of the changed loaded rows and the INSERTs of the last
//     round (INSERTs first for a table referencing itself: a loaded row
//     may reference a new row of its own table), as SQLAlchemy's flush
//     orders them, so that a stored row renamed away from a unique value
//     leaves it to a new row; then the DELETEs of the tables, children's
//     first, up to the first that has cascades to run or rows
//     referencing each other;
//   - each remaining table's deletions, cascades first.
func (u *Unit) schedule(p *plan, rounds [][]insertRound) (*flushPlan, error) {
	fp := &flushPlan{p: p}
	var shared []insertRound
	for i, round := range rounds {
		if i == len(rounds)-1 && len(p.pairs) == 0 && !u.needsKeysOf(p, round) {
			shared = round
			break
		}
		var st step
		for _, ir := range round {
			st.ops = append(st.ops, op{kind: opInsert, tr: ir.tr, rows: ir.rows})
		}
		fp.steps = append(fp.steps, st)
	}
	for i := range p.pairs {
		fp.steps = append(fp.steps, step{ops: []op{{kind: opPairs, pairs: &p.pairs[i]}}})
	}
	last, err := u.lastBatch(p, shared)
	if err != nil {
		return nil, err
	}
	deletes, err := u.deleteOrder()
	if err != nil {
		return nil, err
	}
	i := len(deletes) - 1
	for ; i >= 0; i-- {
		tr := u.tables[deletes[i]]
		ok, err := tr.planDeletes(u)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		last.ops = append(last.ops, op{kind: opDelete, tr: tr})
	}
	if len(last.ops) > 0 {
		fp.steps = append(fp.steps, last)
	}
	for ; i >= 0; i-- {
		fp.steps = append(fp.steps, step{ops: []op{{kind: opCascade, tr: u.tables[deletes[i]]}}})
	}
	fp.recheck = len(deletes) > 0 || slices.ContainsFunc(p.pairs, func(ch pairs) bool {
		return len(ch.dropped) > 0 && reachesOthers(u.model, ch.e.through())
	})
	return fp, nil
}

// reachesOthers reports whether deleting rows of t may delete or change
// rows of the model's tables: one references t with ON DELETE CASCADE or
// SET NULL, as the model makes it (the association rows' own cascades,
// or the database's).
func reachesOthers(m *model.Model, t mapped.Schema) bool {
	if m == nil {
		return false
	}
	for _, s := range m.Tables() {
		for _, c := range s.Info().Columns {
			if ref := c.References; ref != nil && ref.Table.Info() == t.Info() {
				if a := m.OnDelete(c); a == mapped.Cascade || a == mapped.SetNull {
					return true
				}
			}
		}
	}
	return false
}

// lastBatch returns the UPDATEs and the last round's INSERTs of the final
// batch, table by table (see schedule).
func (u *Unit) lastBatch(p *plan, shared []insertRound) (step, error) {
	st := step{ops: make([]op, 0, len(u.order)+len(shared))}
	for _, s := range u.dependencyOrder() {
		tr := u.tables[s]
		changed, err := tr.planUpdates(u, p)
		if err != nil {
			return step{}, err
		}
		self := referencesItself(s)
		if changed && !self {
			st.ops = append(st.ops, op{kind: opUpdate, tr: tr})
		}
		for _, ir := range shared {
			if ir.tr == tr {
				st.ops = append(st.ops, op{kind: opInsert, tr: tr, rows: ir.rows})
			}
		}
		if changed && self {
			st.ops = append(st.ops, op{kind: opUpdate, tr: tr})
		}
	}
	return st, nil
}

// send binds the step's statements and sends them, or runs its one
// operation that sends its own.
func (st step) send(ctx context.Context, u *Unit, p *plan) error {
	if len(st.ops) == 1 {
		switch o := st.ops[0]; o.kind {
		case opPairs:
			return o.pairs.write(ctx, u.tx)
		case opCascade:
			return o.tr.deleteAll(ctx, u)
		}
	}
	var b batch
	for _, o := range st.ops {
		var err error
		switch o.kind {
		case opInsert:
			err = b.addInserts(u, p, []insertRound{{o.tr, o.rows}})
		case opUpdate:
			err = o.tr.addUpdates(u, p, &b)
		case opDelete:
			err = o.tr.addDeletes(u, &b)
		default:
			err = fmt.Errorf("uow: flush: operation %d cannot join a batch", o.kind)
		}
		if err != nil {
			return err
		}
	}
	return b.send(ctx, u)
}

// Plan returns what the next Flush would send, as text, without sending
// anything or changing the unit: its steps in order, numbered, each a
// batch of statements sent together (in one round trip where the dialect
// batches) or an operation that sends its own statements (a collection's
// association rows; a table's deletions, its cascades first, then its
// DELETEs a round at a time). Each line names a statement, its table and its rows: a loaded
// row by its key, a new row by its place among the table's new rows
// ("player new#2"), with the foreign keys the flush sets from parents
// whose keys only the flush fills in. An empty string means a flush would
// send nothing. It returns the error Flush would return before sending
// anything: a cycle among new rows, a loaded row's changed key, a NOT
// NULL key to release.
//
// The plan is the flush's own: Flush makes the same steps, then sends
// them. A statement whose row turns out unchanged once its foreign keys
// are set (the new parent's key was already the row's) is left out then.
func (u *Unit) Plan() (string, error) {
	if err := u.usable("plan"); err != nil {
		return "", err
	}
	fp, undo, err := u.flushPlan()
	if err != nil {
		return "", err
	}
	defer undo.run()
	return fp.text(u), nil
}

// text prints the plan, as Plan documents.
func (fp *flushPlan) text(u *Unit) string {
	var b strings.Builder
	for i, st := range fp.steps {
		fmt.Fprintf(&b, "%d. ", i+1)
		if len(st.ops) > 1 {
			b.WriteString("batch:\n   ")
		}
		for j, o := range st.ops {
			if j > 0 {
				b.WriteString("\n   ")
			}
			o.write(&b, u, fp.p)
		}
		b.WriteString("\n")
	}
	if fp.recheck {
		var reread []string
		for _, s := range u.order {
			if u.tables[s].rereads(u) {
				reread = append(reread, s.TableName())
			}
		}
		if len(reread) > 0 {
			fmt.Fprintf(&b, "then: read back the rows of %s the unit holds, which cascades may have deleted or changed\n",
				strings.Join(reread, ", "))
		}
	}
	return b.String()
}

// write prints one operation.
func (o op) write(b *strings.Builder, u *Unit, p *plan) {
	var rows []string
	switch o.kind {
	case opPairs:
		o.pairs.print(b, u)
		return
	case opInsert:
		b.WriteString("INSERT ")
		for _, r := range o.rows {
			rows = append(rows, o.tr.describe(u, r)+adoptions(u, p, r))
		}
	case opUpdate:
		b.WriteString("UPDATE ")
	case opDelete:
		b.WriteString("DELETE ")
	case opCascade:
		b.WriteString("cascades, then DELETE ")
	}
	if rows == nil {
		rows = o.tr.describeOp(u, p, o.kind)
	}
	sep := ", "
	if o.kind == opUpdate {
		sep = "; "
	}
	b.WriteString(strings.Join(rows, sep))
}

// adoptions describes the foreign keys a flush sets on row from its
// parents' keys: " (club_id ← club new#1)".
func adoptions(u *Unit, p *plan, row any) string {
	var parts []string
	for _, l := range p.links[row] {
		parts = append(parts, l.e.fk().Name+" ← "+l.e.parentTable(u).describe(u, l.parent))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// print describes the association rows the change writes.
func (ch pairs) print(b *strings.Builder, u *Unit) {
	e := ch.e.(edge)
	a, bs := e.parentTable(u), e.childTable(u)
	fmt.Fprintf(b, "association rows of %s:", a.describe(u, ch.row))
	for _, r := range ch.dropped {
		b.WriteString(" −" + bs.describe(u, r))
	}
	for _, r := range ch.added {
		b.WriteString(" +" + bs.describe(u, r))
	}
	if ch.unloaded {
		b.WriteString(" (the collection was not loaded: pairs stored already are left out)")
	}
}
