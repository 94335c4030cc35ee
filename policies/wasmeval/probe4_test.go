//go:build probe

package wasmeval

import (
	"context"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

type frame struct {
	name  string
	start time.Time
	child time.Duration
}

type prof struct {
	stack []frame
	self  map[string]time.Duration
	incl  map[string]time.Duration
	calls map[string]int
}

func (p *prof) Before(_ context.Context, _ api.Module, def api.FunctionDefinition, _ []uint64, _ experimental.StackIterator) {
	p.stack = append(p.stack, frame{name: def.DebugName(), start: time.Now()})
}
func (p *prof) After(_ context.Context, _ api.Module, _ api.FunctionDefinition, _ []uint64) {
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	d := time.Since(f.start)
	p.self[f.name] += d - f.child
	p.incl[f.name] += d
	p.calls[f.name]++
	if len(p.stack) > 0 {
		p.stack[len(p.stack)-1].child += d
	}
}
func (p *prof) Abort(ctx context.Context, m api.Module, d api.FunctionDefinition, _ error) {
	p.After(ctx, m, d, nil)
}

func TestProbeProfile(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	pr := &prof{self: map[string]time.Duration{}, incl: map[string]time.Duration{}, calls: map[string]int{}}
	ctx := experimental.WithFunctionListenerFactory(context.Background(),
		experimental.FunctionListenerFactoryFunc(func(api.FunctionDefinition) experimental.FunctionListener { return pr }))
	p, err := Compile(ctx, policies.Builtin(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := fixtures(t)
	for k := range pr.self {
		delete(pr.self, k)
		delete(pr.incl, k)
		delete(pr.calls, k)
	}
	for _, f := range fs {
		if _, err := p.EvalJSON(context.Background(), f.raw); err != nil {
			t.Fatal(err)
		}
	}
	type row struct {
		n          string
		self, incl time.Duration
		calls      int
	}
	var rows []row
	for n, s := range pr.self {
		rows = append(rows, row{n, s, pr.incl[n], pr.calls[n]})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].self > rows[j].self })
	for _, r := range rows[:min(40, len(rows))] {
		t.Logf("%-60s self %10v incl %10v calls/decision %8.1f", r.n, r.self/time.Duration(len(fs)), r.incl/time.Duration(len(fs)), float64(r.calls)/float64(len(fs)))
	}
}
