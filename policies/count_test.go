package policies

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestCountDecisions makes ROADCHECK_COUNT decisions over the samples after loading, for
// counting instructions under valgrind (`make instr`): a count, unlike a time, repeats within ~2 %
// for the same binary and inputs whatever else the machine is doing, so two rulebooks or two
// evaluators compare on a shared machine. ROADCHECK_COUNT_SAMPLE=text keeps the samples whose
// name contains it. Diagnostic; skipped without the variable.
func TestCountDecisions(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("ROADCHECK_COUNT"))
	if err != nil {
		t.Skip("diagnostic: set ROADCHECK_COUNT=n (make instr)")
	}
	countDecisions(t, builtinEngine(t), n)
}

// countDecisions is its own function so that a profiler can count it alone
// (callgrind --toggle-collect).
//
//go:noinline
func countDecisions(t *testing.T, e *Engine, n int) {
	ctx := context.Background()
	var ss []Sample
	for _, s := range e.Samples() {
		if strings.Contains(s.Name, os.Getenv("ROADCHECK_COUNT_SAMPLE")) {
			ss = append(ss, s)
		}
	}
	if len(ss) == 0 {
		t.Fatal("ROADCHECK_COUNT_SAMPLE matches no sample")
	}
	for i := range n {
		if _, err := e.Evaluate(ctx, ss[i%len(ss)].Input); err != nil {
			t.Fatal(err)
		}
	}
}
