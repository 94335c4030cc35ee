package policies

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestFailure is a candidate rulebook whose own tests do not pass.
type TestFailure struct {
	Failed []string // "package.test_name (file:line): reason"
	Total  int
}

func (f *TestFailure) Error() string {
	return fmt.Sprintf("policies: %d of %d tests fail: %s", len(f.Failed), f.Total, strings.Join(f.Failed, "; "))
}

// LoadTested compiles a candidate rulebook, runs its opa test suite in-process and returns the
// prepared Engine only when every test passes, so a broken candidate never serves (Load has
// already refused one whose two evaluation paths disagree on its samples).
func LoadTested(ctx context.Context, fsys fs.FS, timeout time.Duration, opts ...Option) (*Engine, error) {
	e, err := Load(ctx, fsys, opts...)
	if err != nil {
		return nil, err
	}
	if err := RunTests(ctx, fsys, timeout); err != nil {
		return nil, err
	}
	return e, nil
}

// RunTests runs every test_ rule of the rulebook (its *_test.rego files).
func RunTests(ctx context.Context, fsys fs.FS, timeout time.Duration) error {
	res, err := loader.NewFileLoader().
		WithFS(fsys).
		WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		Filtered([]string{"."}, func(abspath string, info fs.FileInfo, _ int) bool {
			return !info.IsDir() && !isPolicyFile(abspath)
		})
	if err != nil {
		return fmt.Errorf("policies: load: %w", err)
	}
	store, err := res.Store()
	if err != nil {
		return fmt.Errorf("policies: data: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ch, err := tester.NewRunner().SetStore(store).SetTimeout(timeout).SetModules(res.ParsedModules()).RunTests(ctx, nil)
	if err != nil {
		return fmt.Errorf("policies: tests: %w", err)
	}
	f := &TestFailure{}
	for r := range ch {
		f.Total++
		if r.Pass() || r.Skip {
			continue
		}
		reason := "failed"
		if r.Error != nil {
			reason = r.Error.Error()
		}
		f.Failed = append(f.Failed, fmt.Sprintf("%s.%s (%s): %s", strings.TrimPrefix(r.Package, "data."), r.Name, r.Location, reason))
	}
	if f.Total == 0 {
		return fmt.Errorf("policies: the candidate has no tests; a rulebook change must come with its tests")
	}
	if len(f.Failed) > 0 {
		sort.Strings(f.Failed)
		return f
	}
	return nil
}
