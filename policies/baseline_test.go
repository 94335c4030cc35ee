package policies

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestSameDecisionsAsBaseline compares this rulebook's decisions with another's, for a
// rewrite of the rules meant to change no decision (one made for speed, say): every sample
// and 6,000 seeded mutations of them must get byte-identical decision documents. The other
// rulebook is a policy directory named by ROADCHECK_BASELINE, such as the last commit's:
//
//	git archive HEAD policies | tar -x -C /tmp/base
//	ROADCHECK_BASELINE=/tmp/base/policies go test -count=1 -run TestSameDecisionsAsBaseline ./policies/
//
// (-count=1: the test cache does not see the directory's files.) Skipped without the variable.
func TestSameDecisionsAsBaseline(t *testing.T) {
	dir := os.Getenv("ROADCHECK_BASELINE")
	if dir == "" {
		t.Skip("ROADCHECK_BASELINE names no baseline policy directory")
	}
	ctx := context.Background()
	base, err := Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	e := builtinEngine(t)
	decide := func(book *Engine, m map[string]any) []byte {
		v, err := ast.InterfaceToValue(m)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := book.compiled(ctx, v)
		if err != nil {
			return []byte("error: " + err.Error())
		}
		j, err := ast.JSON(doc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	same := func(what string, m map[string]any) {
		if err := difference(decide(base, m), decide(e, m), "baseline", "this rulebook"); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	for _, s := range e.Samples() {
		same(s.Name, s.Input)
	}
	rng := rand.New(rand.NewPCG(23, 2026))
	samples, items := e.Samples(), e.ItemCodes()
	failing := 0
	for i := range 6000 {
		s := samples[rng.IntN(len(samples))]
		m := deepCopy(s.Input)
		var what []string
		for range 1 + rng.IntN(3) {
			what = append(what, mutate(rng, m, items))
		}
		same(s.Name+" ("+strings.Join(what, "; ")+")", m)
		if out, err := e.Evaluate(ctx, m); err == nil && len(out.Violations) > 0 {
			failing++
		}
		if t.Failed() && i > 100 {
			break
		}
	}
	t.Logf("6,000 mutations of %d samples compared, %d of them failing", len(samples), failing)
}
