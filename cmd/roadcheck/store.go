package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/roadcheck/roadcheck/service/mongostore"
)

// storeConfig is where a command finds the store: MongoDB at mongoURI, else the embedded
// store under data/db.
type storeConfig struct {
	data, mongoURI, database string
}

// storeFlags declares the store's flags (serve, replay and fsck share them).
func storeFlags(f *flagSet, c *storeConfig, dataUsage string) {
	f.StringVar(&c.data, "data", "./data", dataUsage)
	f.StringVar(&c.mongoURI, "mongo-uri", "", "MongoDB connection string; empty runs the embedded store under --data")
	f.StringVar(&c.database, "database", "roadcheck", "database name")
	f.withEnv("data", "mongo-uri", "database")
}

// storeOptions says how a command opens the store.
type storeOptions struct {
	create    bool         // serve creates the embedded store; the tools need one to exist
	busyHint  string       // what to do when the embedded store's directory is locked
	log       *slog.Logger // start and stop of the store (nil: quiet)
	engineLog *slog.Logger // FerretDB's own log (nil: none)
}

// openStore opens the store for any command. The embedded store locks its directory, so a tool
// cannot open it under a running service (busyHint says what to do instead). close undoes
// everything in reverse order: the driver, then the embedded store.
func openStore(ctx context.Context, cmd string, c storeConfig, o storeOptions) (store *mongostore.Store, close func(), err error) {
	if c.mongoURI != "" {
		store, err = mongostore.Open(ctx, c.mongoURI, c.database)
		if err != nil {
			return nil, nil, exitErr(2, fmt.Errorf("%s: %w", cmd, err))
		}
		return store, closeDriver(store, o.log), nil
	}
	dir := filepath.Join(c.data, "db")
	if _, serr := os.Stat(dir); serr != nil && !o.create {
		return nil, nil, usageErr("%s: no embedded store at %s", cmd, dir)
	}
	emb, err := mongostore.StartEmbedded(dir, o.engineLog)
	if err != nil {
		if o.busyHint != "" {
			return nil, nil, exitErr(2, fmt.Errorf("%s: %w (%s)", cmd, err, o.busyHint))
		}
		return nil, nil, fmt.Errorf("%s: %w", cmd, err)
	}
	stopEmbedded := func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := emb.Stop(stopCtx); err != nil {
			logTo(o.log).Error("embedded store stop", slog.Any("error", err))
		}
		logTo(o.log).Info("embedded store stopped")
	}
	logTo(o.log).Info("embedded store started", slog.String("dir", dir))
	store, err = emb.Open(ctx, c.database)
	if err != nil {
		stopEmbedded()
		return nil, nil, exitErr(2, fmt.Errorf("%s: %w", cmd, err))
	}
	closeStore := closeDriver(store, o.log)
	return store, func() { closeStore(); stopEmbedded() }, nil
}

func closeDriver(store *mongostore.Store, log *slog.Logger) func() {
	return func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := store.Close(closeCtx); err != nil {
			logTo(log).Error("store close", slog.Any("error", err))
		}
		logTo(log).Info("store driver closed")
	}
}

// logTo is log, or a logger that discards.
func logTo(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
