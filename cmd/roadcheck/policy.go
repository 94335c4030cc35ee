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

// loadRules compiles the built-in rulebook, or the one in dir, for evaluator ev. With tested,
// a directory's own opa tests must pass too (serve: it may have been edited since CI last saw
// it); a one-off precheck or replay skips them unless asked, as they take most of its time.
// Either way the load decides the rulebook's samples on both paths and refuses disagreement.
func loadRules(ctx context.Context, dir string, tested bool, ev policies.Evaluator) (*service.Rules, error) {
	book, err := loadPolicies(ctx, dir, tested, ev)
	if err != nil {
		return nil, err
	}
	return service.NewRules(book)
}

func loadPolicies(ctx context.Context, dir string, tested bool, ev policies.Evaluator) (*policies.Engine, error) {
	if dir == "" {
		return policies.Load(ctx, policies.Builtin(), policies.WithEvaluator(ev))
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usageErr("--policies %s is not a directory", dir)
	}
	if !tested {
		book, err := policies.Load(ctx, os.DirFS(dir), policies.WithEvaluator(ev))
		if err != nil {
			return nil, exitErr(2, err)
		}
		return book, nil
	}
	return policies.LoadTested(ctx, os.DirFS(dir), policyTestTimeout, policies.WithEvaluator(ev))
}

// policyDirSource is the reload source of serve --policies DIR: a candidate must compile, decide
// its samples the same on both paths and pass its tests before it serves.
func policyDirSource(dir string, ev policies.Evaluator) func(context.Context) (service.Rulebook, error) {
	return func(ctx context.Context) (service.Rulebook, error) {
		return policies.LoadTested(ctx, os.DirFS(dir), policyTestTimeout, policies.WithEvaluator(ev))
	}
}

// evalFlag declares --eval (env ROADCHECK_EVAL): the evaluation path, compiled by default.
func evalFlag(f *flagSet) *policies.Evaluator {
	ev := policies.Compiled
	f.Func("eval", "evaluation path: compiled (OPA's IR plan, the default) or interpreter (OPA's top-down interpreter, the reference)", func(s string) error {
		e, err := policies.ParseEvaluator(s)
		if err == nil {
			ev = e
		}
		return err
	})
	f.withEnv("eval")
	return &ev
}

func policySource(dir string) string {
	if dir == "" {
		return "built-in"
	}
	return dir
}
