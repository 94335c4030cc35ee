//go:build probe

package wasmeval

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
)

func TestProbeEntrypoints(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	ctx := context.Background()
	fs := fixtures(t)
	for _, ep := range []string{"roadcheck/decision", "roadcheck/item_violations", "roadcheck/shared_violations", "roadcheck/required_materials", "roadcheck/items/qualification_change/deny", "roadcheck/rules/content/deny", "roadcheck/rules/materials/deny", "roadcheck/rules/form/deny", "roadcheck/rules/applicant/deny", "roadcheck/rules/facts/deny", "roadcheck/rules/qualification/deny", "roadcheck/rules/vehicle/deny"} {
		p, err := Compile(ctx, policies.Builtin(), Options{Entrypoint: ep})
		if err != nil {
			t.Logf("%s: %v", ep, err)
			continue
		}
		for _, f := range fs {
			p.EvalJSON(ctx, f.raw)
		}
		start := time.Now()
		n := 0
		for range 10 {
			for _, f := range fs {
				if _, err := p.EvalJSON(ctx, f.raw); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		t.Logf("%-45s %8v/eval  builtins %v", ep, time.Since(start)/time.Duration(n), p.ImportedBuiltins())
		p.Close(ctx)
	}
}
