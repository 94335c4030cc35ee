package main

import (
	"context"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/roadcheck/roadcheck/service"
)

// watchDebounce lets an editor's burst of writes (or a git checkout) settle into one reload.
const watchDebounce = 500 * time.Millisecond

// watchPolicies reloads the rulebook when a file under dir changes. A reload is as safe as
// POST /v1/policies/reload: a candidate that does not compile or pass its tests is refused
// and logged, and the serving revision stays.
func watchPolicies(ctx context.Context, dir string, svc service.Service, log *slog.Logger) (stop func(), err error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return w.Add(p)
	})
	if err != nil {
		w.Close()
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var timer <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					_ = w.Add(ev.Name) // a new subdirectory; harmless for files
				}
				timer = time.After(watchDebounce)
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				log.Warn("policy watcher", slog.Any("error", err))
			case <-timer:
				timer = nil
				st, err := svc.ReloadPolicies(ctx)
				if err != nil {
					log.Error("policy reload refused; the current revision keeps serving",
						slog.String("revision", st.Revision), slog.Any("error", err))
					continue
				}
				log.Info("policies reloaded", slog.String("revision", st.Revision), slog.String("source", dir))
			}
		}
	}()
	return func() { w.Close(); <-done }, nil
}
