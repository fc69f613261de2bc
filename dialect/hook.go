package dialect

import (
	"context"
	"log/slog"
	"time"
)

// Op is the kind of work an Event reports.
type Op uint8

// The operations a Hook sees.
const (
	OpQuery    Op = iota + 1 // Executor.Query
	OpExec                   // Executor.Exec
	OpBegin                  // Begin, or Tx.Savepoint
	OpCommit                 // Tx.Commit, of a transaction or a savepoint
	OpRollback               // Tx.Rollback, of a transaction or a savepoint
	OpBatch                  // Batcher.SendBatch: several statements in one round trip
)

// String returns the operation's lower-case name.
func (o Op) String() string {
	switch o {
	case OpQuery:
		return "query"
	case OpExec:
		return "exec"
	case OpBegin:
		return "begin"
	case OpCommit:
		return "commit"
	case OpRollback:
		return "rollback"
	case OpBatch:
		return "batch"
	}
	return "unknown"
}

// Event describes one statement or transaction step after it ran.
//
// A query is reported when its rows are done: when Next has returned
// false or Close was called, whichever comes first. Its Duration runs from
// the Query call until then, so it includes reading the rows and whatever
// the caller did between them, and its Err is the error that ended the
// rows: PostgreSQL reports most failures of a query (a violated
// constraint of an INSERT … RETURNING, say) only as its rows are read.
// Rows that are never closed are never reported. A Query call that fails
// at once is reported at once.
type Event struct {
	Op       Op            // what ran
	SQL      string        // the statement text; empty for transaction steps
	Args     int           // how many parameters were bound; never their values
	Duration time.Duration // how long it took
	// Err is the driver's error, untranslated, or nil. Its text never
	// quotes a bound value: where the driver's message might (a value the
	// driver could not encode, a server message about the input, such as
	// PostgreSQL's SQLSTATE class 22, "invalid input syntax for type
	// integer: …"), Err is a wrapper whose Error says what failed without
	// that message and whose Unwrap returns the driver's error, so
	// errors.Is and errors.As reach it as before. The error returned to
	// the caller of the statement keeps the driver's message.
	Err error
}

// Hook is called after every statement and transaction step of a database
// opened with it (like SQLAlchemy's echo=True). It is called from the
// goroutine that ran the statement and must be safe for concurrent use.
type Hook func(ctx context.Context, e Event)

// LogHook returns a Hook that writes each event to l at level Debug, or
// at level Error when the statement failed. Argument values are never
// logged, only their count, and the error logged is the Event's, whose
// text quotes no value.
func LogHook(l *slog.Logger) Hook {
	return func(ctx context.Context, e Event) {
		level := slog.LevelDebug
		attrs := []slog.Attr{slog.String("op", e.Op.String()), slog.Duration("duration", e.Duration)}
		if e.SQL != "" {
			attrs = append(attrs, slog.String("sql", e.SQL), slog.Int("args", e.Args))
		}
		if e.Err != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("err", e.Err.Error()))
		}
		l.LogAttrs(ctx, level, "genrepo", attrs...)
	}
}

// Settings are the options common to every dialect's Open. The zero value
// means no hook.
type Settings struct {
	Hook Hook // called after every statement and transaction step, or nil
}

// Option changes Settings; pass options to a dialect's Open.
type Option func(*Settings)

// WithHook calls h after every statement. Several hooks run in order.
func WithHook(h Hook) Option {
	return func(s *Settings) {
		if prev := s.Hook; prev != nil {
			s.Hook = func(ctx context.Context, e Event) { prev(ctx, e); h(ctx, e) }
			return
		}
		s.Hook = h
	}
}

// WithLogger logs every statement to l, as LogHook does.
func WithLogger(l *slog.Logger) Option { return WithHook(LogHook(l)) }

// Apply builds Settings from options.
func Apply(opts []Option) Settings {
	var s Settings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// Observe reports an event to the hook, if there is one. Drivers call it
// with the time the step started.
func (s *Settings) Observe(ctx context.Context, op Op, sql string, args int, start time.Time, err error) {
	if s.Hook != nil {
		s.Hook(ctx, Event{Op: op, SQL: sql, Args: args, Duration: time.Since(start), Err: err})
	}
}

// Start returns the current time when a hook will want a duration, and the
// zero time otherwise, so that an unobserved database never reads the clock.
func (s *Settings) Start() time.Time {
	if s.Hook == nil {
		return time.Time{}
	}
	return time.Now()
}

// Pending is the event of a query whose rows are not done yet. Drivers
// report it once they are (read to the end, or closed), which is when a
// failing INSERT … RETURNING may report its error. A nil *Pending, which
// Pend returns without a hook, reports nothing.
type Pending struct {
	s     *Settings
	ctx   context.Context
	sql   string
	args  int
	start time.Time
	done  bool
}

// Pend returns the pending event of a query of args arguments started at
// start, or nil when there is no hook.
func (s *Settings) Pend(ctx context.Context, sql string, args int, start time.Time) *Pending {
	if s.Hook == nil {
		return nil
	}
	return &Pending{s: s, ctx: ctx, sql: sql, args: args, start: start}
}

// Done reports the query to the hook with err, the first time it is
// called; later calls do nothing.
func (p *Pending) Done(err error) {
	if p == nil || p.done {
		return
	}
	p.done = true
	p.s.Observe(p.ctx, OpQuery, p.sql, p.args, p.start, err)
}
