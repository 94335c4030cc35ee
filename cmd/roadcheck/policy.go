package main

import (
	"context"
	"os"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// policyTestTimeout bounds a rulebook directory's test run.
const policyTestTimeout = 2 * time.Minute

// loadRules compiles the built-in rulebook, or the one in dir. With tested, a directory's own
// opa tests must pass too (serve: it may have been edited since CI last saw it); a one-off
// precheck or replay skips them unless asked, as they take most of its time.
func loadRules(ctx context.Context, dir string, tested bool) (*service.Rules, error) {
	book, err := loadPolicies(ctx, dir, tested)
	if err != nil {
		return nil, err
	}
	return service.NewRules(book)
}

func loadPolicies(ctx context.Context, dir string, tested bool) (*policies.Engine, error) {
	if dir == "" {
		return policies.Load(ctx, policies.Builtin())
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usageErr("--policies %s is not a directory", dir)
	}
	if !tested {
		book, err := policies.Load(ctx, os.DirFS(dir))
		if err != nil {
			return nil, exitErr(2, err)
		}
		return book, nil
	}
	return policies.LoadTested(ctx, os.DirFS(dir), policyTestTimeout)
}

// policyDirSource is the reload source of serve --policies DIR: a candidate must compile and
// pass its tests before it serves.
func policyDirSource(dir string) func(context.Context) (service.Rulebook, error) {
	return func(ctx context.Context) (service.Rulebook, error) {
		return policies.LoadTested(ctx, os.DirFS(dir), policyTestTimeout)
	}
}

func policySource(dir string) string {
	if dir == "" {
		return "built-in"
	}
	return dir
}
