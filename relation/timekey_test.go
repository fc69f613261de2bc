package relation_test

import (
	"context"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// A shift is keyed by the time it starts; its tasks reference that time.
type shift struct {
	Start   time.Time
	Tasks   []*task
	Workers []*worker
}

// A worker works shifts, through shift_worker.
type worker struct {
	ID   int64
	Name string
}

type shiftWorker struct {
	ShiftStart time.Time
	WorkerID   int64
}

type workerTable struct {
	*mapped.Table[worker]
	ID   mapped.Column[worker, int64]
	Name mapped.TextColumn[worker, string]
}

type shiftWorkerTable struct {
	*mapped.Table[shiftWorker]
	ShiftStart mapped.Column[shiftWorker, time.Time]
	WorkerID   mapped.Column[shiftWorker, int64]
}

type task struct {
	ID         int64
	ShiftStart time.Time
	Shift      *shift
}

type shiftTable struct {
	*mapped.Table[shift]
	Start mapped.Column[shift, time.Time]
}

type taskTable struct {
	*mapped.Table[task]
	ID         mapped.Column[task, int64]
	ShiftStart mapped.Column[task, time.Time]
}

var (
	shifts = mapped.Define("shift", func(t *mapped.Table[shift], s *shift) shiftTable {
		return shiftTable{Table: t, Start: mapped.PrimaryKey(t, &s.Start)}
	})
	tasks = mapped.Define("task", func(t *mapped.Table[task], k *task) taskTable {
		return taskTable{Table: t, ID: mapped.PrimaryKey(t, &k.ID),
			ShiftStart: mapped.ForeignKey(t, &k.ShiftStart, shifts.Start)}
	})
	workers = mapped.Define("worker", func(t *mapped.Table[worker], w *worker) workerTable {
		return workerTable{Table: t, ID: mapped.PrimaryKey(t, &w.ID), Name: mapped.Text(t, &w.Name)}
	})
	shiftWorkers = mapped.Define("shift_worker", func(t *mapped.Table[shiftWorker], l *shiftWorker) shiftWorkerTable {
		return shiftWorkerTable{Table: t,
			ShiftStart: mapped.ForeignKey(t, &l.ShiftStart, shifts.Start, mapped.InPrimaryKey()),
			WorkerID:   mapped.ForeignKey(t, &l.WorkerID, workers.ID, mapped.InPrimaryKey())}
	})
	shiftCrew = relation.ManyToManyThrough(shiftWorkers.ShiftStart, shiftWorkers.WorkerID,
		func(s *shift) *[]*worker { return &s.Workers })
	shiftTasks = relation.HasMany(tasks.ShiftStart, func(s *shift) *[]*task { return &s.Tasks })
	taskShift  = relation.BelongsTo(tasks.ShiftStart, func(k *task) **shift { return &k.Shift })
)

// Rows keyed by a time are related by the instant, whatever the zone
// their key is written in.
func TestTimeKeys(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, shifts.Table, tasks.Table, workers.Table, shiftWorkers.Table)
		start := time.Date(2024, 3, 1, 8, 0, 0, 0, time.FixedZone("CET", 3600))
		s := &shift{Start: start}
		insertMany(t, db, shifts.Table, []*shift{s})
		k := &task{ShiftStart: start}
		insertMany(t, db, tasks.Table, []*task{k})
		got, err := shiftTasks.Fetch(ctx, db, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Errorf("Fetch of the shift's tasks: %d, want 1", len(got))
		}
		p, err := taskShift.Fetch(ctx, db, k)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			t.Errorf("Fetch of the task's shift: nil, want the shift")
		}
		w := &worker{Name: "Ann"}
		insertMany(t, db, workers.Table, []*worker{w})
		if err := repo.Link(ctx, db, shiftCrew, s, w); err != nil {
			t.Fatal(err)
		}
		crew, err := shiftCrew.Fetch(ctx, db, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(crew) != 1 {
			t.Errorf("Fetch of the shift's workers: %d, want 1", len(crew))
		}
	})
}
