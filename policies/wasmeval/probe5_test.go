//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
)

// TestProbeOpt: opa build -O=0/1/2. O=1 fails to type-check decision.rego:41 (`m.kind in required`:
// internal.member_2 arity mismatch); O=2 had not finished after 9 minutes (go test -timeout).
func TestProbeOpt(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	ctx := context.Background()
	in := newInterpreter(t)
	fs := fixtures(t)
	for _, lvl := range []int{0, 1, 2} {
		start := time.Now()
		p, err := Compile(ctx, policies.Builtin(), Options{OptimizationLevel: lvl})
		if err != nil {
			t.Logf("O=%d: %v", lvl, err)
			continue
		}
		bt := time.Since(start)
		differ := 0
		for _, f := range fs {
			if d := compare(t, in, p, f.input, f.raw); d != "" {
				differ++
				t.Logf("O=%d %s differs:\n%s", lvl, f.name, d)
			}
		}
		start = time.Now()
		for range 20 {
			for _, f := range fs {
				p.EvalJSON(ctx, f.raw)
			}
		}
		t.Logf("O=%d: compile %v, module %d bytes, %v/eval, %d/%d fixtures differ", lvl, bt, len(p.WasmModule()), time.Since(start)/time.Duration(20*len(fs)), differ, len(fs))
		p.Close(ctx)
	}
}
