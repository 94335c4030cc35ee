package mongostore

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"time"
)

// checkpointer copies the embedded store's write-ahead logs into their databases from a
// connection of its own, so that no write waits for it. SQLite otherwise checkpoints inside
// the commit that takes the log past 1,000 pages, under the store's write lock: on the 2-core
// machine that was a 15–55 ms stall every ~250 submissions, the whole latency tail of
// BenchmarkSubmit32 (8 clients: p99 40 ms with it, 21 ms without; 32 clients: 897 against
// 1,129 submissions/s). FerretDB's connections therefore checkpoint only as a backstop, past
// walBackstopPages (see sqliteURL). A PASSIVE checkpoint waits for no reader or writer; with
// synchronous=NORMAL it is also when the log is synced, so the interval bounds what a power
// loss can take.
type checkpointer struct {
	dir    string
	every  time.Duration
	logger *slog.Logger
	dbs    map[string]*sql.DB // by file; the goroutine's own
	stop   context.CancelFunc
	done   chan struct{}
}

const (
	checkpointEvery = 200 * time.Millisecond
	// walBackstopPages is where FerretDB's own connections checkpoint if this one falls
	// behind (4 KiB pages: 64 MiB of log).
	walBackstopPages = 16384
)

func startCheckpointer(dir string, every time.Duration, logger *slog.Logger) *checkpointer {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{dir: dir, every: every, logger: logger, dbs: map[string]*sql.DB{}, stop: cancel, done: make(chan struct{})}
	go c.run(ctx)
	return c
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(c.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			for _, db := range c.dbs {
				db.Close()
			}
			return
		case <-t.C:
			c.checkpoint(ctx)
		}
	}
}

// checkpoint runs a PASSIVE checkpoint on every database of the directory, opening a
// connection to a new one and closing that of a dropped one.
func (c *checkpointer) checkpoint(ctx context.Context) {
	files, _ := filepath.Glob(filepath.Join(c.dir, "*.sqlite"))
	present := map[string]bool{}
	for _, f := range files {
		present[f] = true
		db := c.dbs[f]
		if db == nil {
			var err error
			if db, err = sql.Open("sqlite", "file:"+f+"?_pragma=busy_timeout(1000)"); err != nil {
				continue
			}
			db.SetMaxOpenConns(1)
			c.dbs[f] = db
		}
		var busy, logFrames, done int
		if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &done); err != nil && ctx.Err() == nil {
			c.logger.Warn("embedded store: checkpoint", "file", filepath.Base(f), "error", err)
		}
	}
	for f, db := range c.dbs {
		if !present[f] {
			db.Close()
			delete(c.dbs, f)
		}
	}
}

// close stops the checkpoints and closes their connections.
func (c *checkpointer) close() {
	c.stop()
	<-c.done
}
