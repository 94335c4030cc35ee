package policies

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/roadcheck/roadcheck/policies/planeval"
)

// TestProfileRules prints where the compiled path's time goes, by rule function (own time per
// decision over the samples). Diagnostic: ROADCHECK_PROFILE=1 go test -run TestProfileRules -v ./policies/
// (ROADCHECK_PROFILE_SAMPLE=text: only the samples whose name contains it).
func TestProfileRules(t *testing.T) {
	if os.Getenv("ROADCHECK_PROFILE") == "" {
		t.Skip("diagnostic: set ROADCHECK_PROFILE=1")
	}
	e := builtinEngine(t)
	prof, calls := map[string]time.Duration{}, map[string]int{}
	rounds, only, n := 100, os.Getenv("ROADCHECK_PROFILE_SAMPLE"), 0
	for range rounds {
		for _, s := range e.Samples() {
			if !strings.Contains(s.Name, only) {
				continue
			}
			n++
			v, err := ast.InterfaceToValue(s.Input)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.plan.Eval(context.Background(), planEntrypoint, v, planeval.Options{Profile: prof, Calls: calls}); err != nil {
				t.Fatal(err)
			}
		}
	}
	names := make([]string, 0, len(prof))
	var total time.Duration
	for n, d := range prof {
		names = append(names, n)
		total += d
	}
	sort.Slice(names, func(i, j int) bool { return prof[names[i]] > prof[names[j]] })
	if n == 0 {
		t.Fatalf("no sample's name contains %q", only)
	}
	per := float64(n)
	t.Logf("%-60s %8.1f µs a decision", "all functions", float64(total.Microseconds())/per)
	for n, c := range calls {
		if strings.HasPrefix(n, "objects") {
			t.Logf("%-60s %8.1f", n, float64(c)/per)
		}
	}
	for _, n := range names[:min(400, len(names))] {
		t.Logf("%-60s %8.1f µs %6.1f calls", n, float64(prof[n].Microseconds())/per, float64(calls[n])/per)
	}
}

func TestConstantsOfTheRulebook(t *testing.T) {
	t.Logf("%d constant rules", builtinEngine(t).plan.Constants())
}
