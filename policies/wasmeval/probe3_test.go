//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

func TestProbeCounts(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	p := program(t)
	inst := <-p.pool
	counts := map[string]int{}
	for id, f := range inst.builtins {
		if f == nil {
			continue
		}
		name, f := inst.names[id], f
		inst.builtins[id] = func(bctx topdown.BuiltinContext, args []*ast.Term, iter func(*ast.Term) error) error {
			counts[name]++
			return f(bctx, args, iter)
		}
	}
	p.pool <- inst
	fs := fixtures(t)
	for _, f := range fs {
		if _, err := p.EvalJSON(context.Background(), f.raw); err != nil {
			t.Fatal(err)
		}
	}
	for n, c := range counts {
		t.Logf("%-16s %6.1f calls/decision", n, float64(c)/float64(len(fs)))
	}
}
