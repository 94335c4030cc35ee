package mongostore

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is an in-process FerretDB on SQLite, speaking the MongoDB wire protocol on a
// loopback port, so the same driver code serves a bare machine and a real MongoDB.
type Embedded struct {
	db     *ferretdb.FerretDB
	cancel context.CancelFunc
	done   chan error
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
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Embedded{db: db, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- db.Run(ctx) }()
	return e, nil
}

// URI is the MongoDB connection string of the embedded store. It waits for the listener.
func (e *Embedded) URI() string { return e.db.MongoDBURI() }

// Stop closes the listener and the SQLite backend, waiting at most until ctx ends.
func (e *Embedded) Stop(ctx context.Context) error {
	e.cancel()
	select {
	case <-e.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded store: stop: %w", ctx.Err())
	case <-time.After(30 * time.Second):
		return fmt.Errorf("embedded store: did not stop within 30s")
	}
}
