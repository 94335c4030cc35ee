package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/roadcheck/roadcheck/service/mongostore"
)

// openToolStore opens the store a command-line tool (replay, fsck) works on: MongoDB at uri,
// else the embedded store under data, which it locks (so the service must not be running on
// it; busyHint says what to do instead). close stops everything it started, in order.
func openToolStore(ctx context.Context, cmd, data, uri, database, busyHint string) (store *mongostore.Store, close func(), err error) {
	stopEmbedded := func() {}
	if uri != "" {
		store, err = mongostore.Open(ctx, uri, database)
	} else {
		dbDir := filepath.Join(data, "db")
		if _, serr := os.Stat(dbDir); serr != nil {
			return nil, nil, exitErr(2, fmt.Errorf("%s: no embedded store at %s", cmd, dbDir))
		}
		emb, eerr := mongostore.StartEmbedded(dbDir, nil)
		if eerr != nil {
			return nil, nil, exitErr(2, fmt.Errorf("%s: %w (%s)", cmd, eerr, busyHint))
		}
		stopEmbedded = func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = emb.Stop(stopCtx)
		}
		store, err = emb.Open(ctx, database)
	}
	if err != nil {
		stopEmbedded()
		return nil, nil, exitErr(2, err)
	}
	return store, func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		_ = store.Close(closeCtx)
		stopEmbedded()
	}, nil
}
