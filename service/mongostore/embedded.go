package mongostore

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is an in-process FerretDB on SQLite, speaking the MongoDB wire protocol on a
// loopback port, so the same driver code serves a bare machine and a real MongoDB.
type Embedded struct {
	db     *ferretdb.FerretDB
	cancel context.CancelFunc
	done   chan error
	lock   *os.File
}

// StartEmbedded starts FerretDB with its SQLite files under dir.
func StartEmbedded(dir string, logger *slog.Logger) (*Embedded, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	// One process per directory: two FerretDB instances on the same SQLite files would each
	// think they own them, and Store's in-process serialization would not cover the other.
	lock, err := os.OpenFile(filepath.Join(abs, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, fmt.Errorf("embedded store: %s is in use by another roadcheck process", abs)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    logger,
	})
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Embedded{db: db, cancel: cancel, done: make(chan error, 1), lock: lock}
	go func() { e.done <- db.Run(ctx) }()
	return e, nil
}

// URI is the MongoDB connection string of the embedded store. It waits for the listener.
func (e *Embedded) URI() string { return e.db.MongoDBURI() }

// Open connects a Store to the embedded server, with the options its backend needs.
func (e *Embedded) Open(ctx context.Context, database string) (*Store, error) {
	return Open(ctx, e.URI(), database, Options{SerializeWrites: true})
}

// Stop closes the listener and the SQLite backend, waiting at most until ctx ends.
func (e *Embedded) Stop(ctx context.Context) error {
	e.cancel()
	select {
	case <-e.done:
		e.lock.Close() // releases the directory lock
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded store: stop: %w", ctx.Err())
	case <-time.After(30 * time.Second):
		return fmt.Errorf("embedded store: did not stop within 30s")
	}
}
