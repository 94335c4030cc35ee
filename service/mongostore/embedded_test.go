package mongostore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// startEmbedded starts an embedded store in dir (a new temporary directory when empty),
// stopped when the test ends.
func startEmbedded(tb testing.TB, dir string, logger *slog.Logger) *Embedded {
	tb.Helper()
	if dir == "" {
		dir = tb.TempDir()
	}
	e, err := StartEmbedded(dir, logger)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { stopEmbedded(tb, e) })
	return e
}

// openEmbedded starts an embedded store (see startEmbedded) and opens its "roadcheck"
// database, closed before the store stops.
func openEmbedded(t *testing.T, dir string, logger *slog.Logger) *Store {
	t.Helper()
	emb := startEmbedded(t, dir, logger)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := emb.Open(ctx, "roadcheck")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func stopEmbedded(t testing.TB, e *Embedded) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.Stop(ctx); err != nil {
		t.Error(err)
	}
}

// The embedded store is private: a Unix socket in a 0700 directory, no TCP port.
func TestEmbeddedUnixSocket(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	cases := map[string]string{
		// a short directory holds its own socket
		"short": func() string {
			d, err := os.MkdirTemp("/tmp", "rc")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(d) })
			return filepath.Join(d, "db")
		}(),
		// a path too long for a socket puts it in a short private directory
		"long": filepath.Join(t.TempDir(), strings.Repeat("d", 100), "db"),
	}
	for name, dir := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.MkdirAll(dir, 0o755); err != nil { // a loose existing directory is tightened
				t.Fatal(err)
			}
			e, err := StartEmbedded(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o700 {
				t.Errorf("data directory mode %v, want 0700", fi.Mode().Perm())
			}
			sock := e.Socket()
			if len(sock) > maxSocketPath {
				t.Errorf("socket path %d bytes", len(sock))
			}
			if name == "short" && filepath.Dir(sock) != dir {
				t.Errorf("socket %s not in %s", sock, dir)
			}
			sfi, err := os.Stat(filepath.Dir(sock))
			if err != nil || sfi.Mode().Perm() != 0o700 {
				t.Errorf("socket directory %v %v, want mode 0700", sfi.Mode(), err)
			}
			uri := e.URI()
			if !strings.HasPrefix(uri, "mongodb://%2F") || strings.Contains(uri, "127.0.0.1") {
				t.Errorf("URI %s", uri)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := e.Open(ctx, "roadcheck")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			stopEmbedded(t, e)
			if _, err := os.Stat(sock); !os.IsNotExist(err) {
				t.Errorf("socket left after Stop: %v", err)
			}
			// A restart finds the directory again (a stale socket would be removed).
			e, err = StartEmbedded(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			stopEmbedded(t, e)
		})
	}
}

// The embedded store's SQLite runs in WAL mode with synchronous=NORMAL and FerretDB's own
// checkpoints only as a backstop: the URL carries the pragmas (busy timeout first), the SQLite
// driver FerretDB uses applies them as written, and the database FerretDB creates is a WAL
// database.
func TestSQLiteURL(t *testing.T) {
	dir := t.TempDir()
	u, err := url.Parse(sqliteURL(dir))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"busy_timeout(10000)", "journal_mode(wal)", "synchronous(normal)", "wal_autocheckpoint(16384)"}
	if u.Scheme != "file" || u.Path != dir+"/" || !slices.Equal(u.Query()["_pragma"], want) {
		t.Fatalf("SQLite URL %s: scheme %q path %q pragmas %q, want file, %s/, %q", u, u.Scheme, u.Path, u.Query()["_pragma"], dir, want)
	}

	// A database opened the way FerretDB opens one (its directory URL plus the file name).
	// The "sqlite" driver is registered by FerretDB's SQLite backend.
	file := *u
	file.Path = filepath.Join(dir, "probe.sqlite")
	db, err := sql.Open("sqlite", "file:"+file.Path+"?"+file.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	var sync, backstop int
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA wal_autocheckpoint").Scan(&backstop); err != nil || backstop != walBackstopPages {
		t.Errorf("wal_autocheckpoint %d (%v), want %d", backstop, err, walBackstopPages)
	}
	if err := db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || sync != 1 { // 1 is NORMAL (2 FULL, SQLite's default)
		t.Errorf("journal_mode %q synchronous %d, want wal and 1", mode, sync)
	}

	if testing.Short() {
		return
	}
	data := t.TempDir()
	emb, err := StartEmbedded(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := emb.Open(ctx, "roadcheck")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordDecision(ctx, service.AuditRecord{ID: "d_1"}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close(ctx)
	stopEmbedded(t, emb)
	// Bytes 18 and 19 of an SQLite header are its file format versions: 2 is WAL.
	head := make([]byte, 20)
	f, err := os.Open(filepath.Join(data, "roadcheck.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.ReadFull(f, head); err != nil {
		t.Fatal(err)
	}
	if head[18] != 2 || head[19] != 2 {
		t.Errorf("roadcheck.sqlite format versions %d/%d, want 2/2 (WAL)", head[18], head[19])
	}
}

// TestCheckpointsOffTheWritePath: with FerretDB's connections checkpointing only past the
// backstop, the checkpointer still copies a write into the database file within a few of its
// intervals, while the store runs (the file is read as it is on disk, ignoring the log).
func TestCheckpointsOffTheWritePath(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	data := t.TempDir()
	s := openEmbedded(t, data, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.RecordDecision(ctx, service.AuditRecord{ID: "d_checkpointed"}); err != nil {
		t.Fatal(err)
	}
	onDisk, err := sql.Open("sqlite", "file:"+filepath.Join(data, "roadcheck.sqlite")+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer onDisk.Close()
	onDisk.SetMaxOpenConns(1)
	for deadline := time.Now().Add(20 * checkpointEvery); ; time.Sleep(checkpointEvery / 4) {
		var table string
		var n int
		err := onDisk.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = 'decisions'`).Scan(&table)
		if err == nil {
			err = onDisk.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %q WHERE _ferretdb_sjson->>'$._id' = 'd_checkpointed'`, table)).Scan(&n)
		}
		if err == nil && n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the write is not in the database file after %v: %v, %d rows", 20*checkpointEvery, err, n)
		}
		// immutable=1 lets SQLite cache what it read: a new connection reads the file again.
		onDisk.SetMaxIdleConns(0)
		onDisk.SetMaxIdleConns(1)
	}
}
