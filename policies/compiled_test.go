package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ir"
)

var (
	builtinOnce sync.Once
	builtinBook *Engine
	builtinErr  error
)

// builtinEngine is the built-in rulebook, loaded once for the tests of this file.
func builtinEngine(t testing.TB) *Engine {
	t.Helper()
	builtinOnce.Do(func() { builtinBook, builtinErr = Load(context.Background(), Builtin()) })
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtinBook
}

// TestSamplesAreCheckedBothWays: Load read every sample and both paths agree on each (Load
// would have refused otherwise; this says so for each by name).
func TestSamplesAreCheckedBothWays(t *testing.T) {
	e := builtinEngine(t)
	if len(e.Samples()) < 18 { // a passing and a failing application for each of the nine items
		t.Fatalf("%d samples", len(e.Samples()))
	}
	for _, s := range e.Samples() {
		if err := e.CheckPaths(context.Background(), s.Input); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
}

// TestMutationsDecideTheSameBothWays runs a few thousand seeded random mutations of the samples
// (dates, materials, forms, applicants, records, items, numbers, content) through both paths
// and requires identical decision documents.
func TestMutationsDecideTheSameBothWays(t *testing.T) {
	e := builtinEngine(t)
	samples := e.Samples()
	items := e.ItemCodes()
	n := 3000
	if testing.Short() {
		n = 300
	}
	rng := rand.New(rand.NewPCG(17, 2026))
	kinds := map[string]int{}
	for i := range n {
		s := samples[rng.IntN(len(samples))]
		m := deepCopy(s.Input)
		var what []string
		for range 1 + rng.IntN(3) {
			w := mutate(rng, m, items)
			what = append(what, w)
			kinds[strings.Fields(w)[0]]++
		}
		if err := e.CheckPaths(context.Background(), m); err != nil {
			t.Errorf("mutation %d of %s (%s): %v", i, s.Name, strings.Join(what, "; "), err)
		}
	}
	t.Logf("%d mutated applications; mutations by kind: %v", n, kinds)
}

func deepCopy(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// mutate changes one thing in the application and says what (its first word is the kind).
func mutate(rng *rand.Rand, m map[string]any, items []string) string {
	switch rng.IntN(11) {
	case 10: // a value read from a document image (content), given another type or dropped
		var paths []docPath
		for _, p := range collect(m, func(any) bool { return true }) {
			if len(p) > 3 && p[0] == "materials" && p[2] == "content" {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			return "content none"
		}
		p := paths[rng.IntN(len(paths))]
		nv := []any{"x", 7.0, 0.5, true, nil, map[string]any{"value": "x"}, []any{"x"}, -1.0, 2.0}[rng.IntN(9)]
		set(m, p, nv)
		return fmt.Sprintf("content %s→%v", strings.Join(p, "."), nv)
	case 0, 1: // a date by ±days or ±years
		paths := collect(m, isDate)
		if len(paths) == 0 {
			return "date none"
		}
		p := paths[rng.IntN(len(paths))]
		s := get(m, p).(string)
		d, _ := time.Parse("2006-01-02", s)
		if rng.IntN(2) == 0 {
			d = d.AddDate(0, 0, rng.IntN(61)-30)
		} else {
			d = d.AddDate(rng.IntN(7)-3, 0, 0)
		}
		set(m, p, d.Format("2006-01-02"))
		return fmt.Sprintf("date %s %s→%s", strings.Join(p, "."), s, d.Format("2006-01-02"))
	case 2: // drop, duplicate or re-declare a material
		ms, _ := m["materials"].([]any)
		if len(ms) == 0 {
			return "material none"
		}
		k := rng.IntN(len(ms))
		switch rng.IntN(3) {
		case 0:
			m["materials"] = append(ms[:k:k], ms[k+1:]...)
			return fmt.Sprintf("material drop %d", k)
		case 1:
			m["materials"] = append(ms, deepCopy(ms[k].(map[string]any)))
			return fmt.Sprintf("material duplicate %d", k)
		}
		j := rng.IntN(len(ms))
		a, b := ms[k].(map[string]any), ms[j].(map[string]any)
		a["kind"] = b["kind"]
		return fmt.Sprintf("material declare %d as %v", k, b["kind"])
	case 3: // flip a boolean
		paths := collect(m, func(v any) bool { _, ok := v.(bool); return ok })
		if len(paths) == 0 {
			return "boolean none"
		}
		p := paths[rng.IntN(len(paths))]
		set(m, p, !get(m, p).(bool))
		return "boolean " + strings.Join(p, ".")
	case 4: // change the item
		it := items[rng.IntN(len(items))]
		m["item"] = it
		return "item " + it
	case 5: // a form field: emptied, removed, or given another field's value
		form, _ := m["form"].(map[string]any)
		if len(form) == 0 {
			m["form"] = map[string]any{"delivery": []string{"mail", "pickup", "drone"}[rng.IntN(3)]}
			return "form new delivery"
		}
		keys := sortedKeys(form)
		k := keys[rng.IntN(len(keys))]
		switch rng.IntN(3) {
		case 0:
			form[k] = ""
			return "form empty " + k
		case 1:
			delete(form, k)
			return "form remove " + k
		}
		form[k] = form[keys[rng.IntN(len(keys))]]
		return "form swap " + k
	case 6: // an applicant's or record's text: one character changed, or removed
		paths := collect(m, func(v any) bool { s, ok := v.(string); return ok && s != "" && !isDate(v) })
		var people []docPath
		for _, p := range paths {
			if p[0] == "applicant" || p[0] == "qualification" || p[0] == "vehicle" {
				people = append(people, p)
			}
		}
		if len(people) == 0 {
			return "text none"
		}
		p := people[rng.IntN(len(people))]
		s := []rune(get(m, p).(string))
		if rng.IntN(4) == 0 {
			set(m, p, "")
			return "text blank " + strings.Join(p, ".")
		}
		i := rng.IntN(len(s))
		s[i] = []rune("0123456789X张李")[rng.IntN(13)]
		set(m, p, string(s))
		return "text change " + strings.Join(p, ".")
	case 7: // an applicant's kind or a record's status
		if rng.IntN(2) == 0 {
			if a, ok := m["applicant"].(map[string]any); ok {
				a["kind"] = []string{"natural", "organization"}[rng.IntN(2)]
				return "applicant kind"
			}
		}
		for _, sec := range []string{"qualification", "vehicle"} {
			if r, ok := m[sec].(map[string]any); ok {
				r["status"] = []string{"valid", "expired", "cancelled", "revoked", "suspended"}[rng.IntN(5)]
				return "record status " + sec
			}
		}
		return "record none"
	case 8: // a section or a record's field removed
		keys := sortedKeys(m)
		k := keys[rng.IntN(len(keys))]
		if r, ok := m[k].(map[string]any); ok && len(r) > 0 && rng.IntN(2) == 0 {
			rk := sortedKeys(r)
			f := rk[rng.IntN(len(rk))]
			delete(r, f)
			return "remove " + k + "." + f
		}
		delete(m, k)
		return "remove " + k
	default: // perturb a number
		paths := collect(m, func(v any) bool { _, ok := v.(float64); return ok })
		if len(paths) == 0 {
			return "number none"
		}
		p := paths[rng.IntN(len(paths))]
		v := get(m, p).(float64)
		nv := float64(int(v * (0.5 + rng.Float64())))
		if rng.IntN(5) == 0 {
			nv = v / 3 // not a whole number
		}
		set(m, p, nv)
		return fmt.Sprintf("number %s %v→%v", strings.Join(p, "."), v, nv)
	}
}

type docPath = []string

func isDate(v any) bool {
	s, ok := v.(string)
	if !ok || len(s) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func walkDoc(v any, p docPath, f func(docPath, any)) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			walkDoc(x[k], append(append(docPath{}, p...), k), f)
		}
	case []any:
		for i, c := range x {
			walkDoc(c, append(append(docPath{}, p...), fmt.Sprint(i)), f)
		}
	default:
		f(p, v)
	}
}

func collect(m map[string]any, keep func(any) bool) []docPath {
	var out []docPath
	walkDoc(m, nil, func(p docPath, v any) {
		if keep(v) {
			out = append(out, p)
		}
	})
	return out
}

func get(v any, p docPath) any {
	for _, k := range p {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			v = x[i]
		}
	}
	return v
}

func set(v any, p docPath, nv any) {
	parent := get(v, p[:len(p)-1])
	k := p[len(p)-1]
	switch x := parent.(type) {
	case map[string]any:
		x[k] = nv
	case []any:
		var i int
		fmt.Sscan(k, &i)
		x[i] = nv
	}
}

// TestLoadRefusesADisagreeingPlan: a compiled path that decides differently from the
// interpreter on a sample (here: one code renamed in the plan; samples/
// qualification_renewal_too_early.json raises it) is refused at load, so a reload keeps the
// serving rulebook.
func TestLoadRefusesADisagreeingPlan(t *testing.T) {
	corrupt := func(p *ir.Policy) {
		for _, s := range p.Static.Strings {
			if s.Value == "RENEWAL_TOO_EARLY" {
				s.Value = "RENEWAL_TOO_LATE"
				return
			}
		}
		t.Fatal("no RENEWAL_TOO_EARLY in the plan's strings")
	}
	_, err := Load(context.Background(), Builtin(), func(o *loadOptions) { o.planHook = corrupt })
	if err == nil || !strings.Contains(err.Error(), "compiled path disagrees") {
		t.Fatalf("err = %v, want the disagreement refused", err)
	}
	t.Log(err)
}

// TestLoadRefusesARulebookWithoutSamples: with nothing to compare on, the compiled path is not
// trusted.
func TestLoadRefusesARulebookWithoutSamples(t *testing.T) {
	_, err := Load(context.Background(), Builtin(), WithSamples(fstest.MapFS{}))
	if err == nil || !strings.Contains(err.Error(), "no sample applications") {
		t.Fatalf("err = %v, want samples missing", err)
	}
}

// TestEvaluatorsGiveTheSameOutcome: Evaluate on either path gives the same typed Outcome.
func TestEvaluatorsGiveTheSameOutcome(t *testing.T) {
	ctx := context.Background()
	fast := builtinEngine(t)
	ref, err := Load(ctx, Builtin(), WithEvaluator(Interpreter))
	if err != nil {
		t.Fatal(err)
	}
	if fast.Evaluator() != Compiled || ref.Evaluator() != Interpreter || fast.Revision() != ref.Revision() {
		t.Fatalf("evaluators %s/%s, revisions %s/%s", fast.Evaluator(), ref.Evaluator(), fast.Revision(), ref.Revision())
	}
	for _, s := range fast.Samples() {
		a, err := fast.Evaluate(ctx, s.Input)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ref.Evaluate(ctx, s.Input)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s: compiled %s\ninterpreter %s", s.Name, ja, jb)
		}
	}
	if _, err := ParseEvaluator("wasm"); err == nil {
		t.Error("ParseEvaluator accepted wasm")
	}
}
