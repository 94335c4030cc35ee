package wasmeval

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/roadcheck/roadcheck/policies"
)

// interpreter is data.roadcheck.decision prepared exactly as policies.Load prepares it (same
// file selection, annotations processed, AST-valued store), returning the raw document.
type interpreter struct{ q rego.PreparedEvalQuery }

func newInterpreter(t testing.TB) *interpreter {
	t.Helper()
	rb, err := LoadFS(policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	compiler := ast.NewCompiler().WithEnablePrintStatements(false)
	compiler.Compile(rb.Modules)
	if compiler.Failed() {
		t.Fatal(compiler.Errors)
	}
	store := inmem.NewFromObjectWithOpts(rb.Data, inmem.OptReturnASTValuesOnRead(true))
	q, err := rego.New(rego.Query("data.roadcheck.decision"), rego.Compiler(compiler), rego.Store(store)).
		PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &interpreter{q: q}
}

func (in *interpreter) eval(ctx context.Context, input map[string]any) (any, error) {
	v, err := ast.InterfaceToValue(input)
	if err != nil {
		return nil, err
	}
	rs, err := in.q.Eval(ctx, rego.EvalParsedInput(v))
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("decision is undefined")
	}
	return rs[0].Expressions[0].Value, nil
}

var (
	progOnce sync.Once
	prog     *Program
	progErr  error
)

func program(t testing.TB) *Program {
	t.Helper()
	progOnce.Do(func() {
		prog, progErr = Compile(context.Background(), policies.Builtin(), Options{})
	})
	if progErr != nil {
		t.Fatal(progErr)
	}
	return prog
}

type fixture struct {
	name  string
	raw   []byte
	input map[string]any
}

func fixtures(t testing.TB) []fixture {
	t.Helper()
	files, _ := filepath.Glob("../samples/*.json")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	var out []fixture
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		raw, _ = json.Marshal(m) // the bytes the service would send: same value as the map
		out = append(out, fixture{name: filepath.Base(f), raw: raw, input: m})
	}
	return out
}

// normalize turns a decision into canonical JSON: numbers as float64, violations (a set)
// sorted by their canonical JSON.
func normalize(t testing.TB, doc any) map[string]any {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if vs, ok := m["violations"].([]any); ok {
		sort.Slice(vs, func(i, j int) bool { return canon(vs[i]) < canon(vs[j]) })
	}
	return m
}

func canon(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// diff describes how two normalized decisions differ, by violation code.
func diff(a, b map[string]any) string {
	var sb strings.Builder
	codes := func(m map[string]any) map[string]string {
		out := map[string]string{}
		vs, _ := m["violations"].([]any)
		for _, v := range vs {
			c, _ := v.(map[string]any)["code"].(string)
			out[c+"|"+canon(v)] = canon(v)
		}
		return out
	}
	ca, cb := codes(a), codes(b)
	for k, v := range ca {
		if _, ok := cb[k]; !ok {
			fmt.Fprintf(&sb, "  interpreter only: %s\n", v)
		}
	}
	for k, v := range cb {
		if _, ok := ca[k]; !ok {
			fmt.Fprintf(&sb, "  wasm only:        %s\n", v)
		}
	}
	if !reflect.DeepEqual(a["required_materials"], b["required_materials"]) {
		fmt.Fprintf(&sb, "  required_materials: interpreter %s, wasm %s\n", canon(a["required_materials"]), canon(b["required_materials"]))
	}
	for k := range a {
		if k != "violations" && k != "required_materials" && !reflect.DeepEqual(a[k], b[k]) {
			fmt.Fprintf(&sb, "  %s: interpreter %s, wasm %s\n", k, canon(a[k]), canon(b[k]))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			fmt.Fprintf(&sb, "  %s only in wasm\n", k)
		}
	}
	return sb.String()
}

func TestImportedBuiltins(t *testing.T) {
	p := program(t)
	t.Logf("ABI %s, module %d bytes, built in %v", p.ABIVersion(), len(p.WasmModule()), p.BuildTime())
	t.Logf("imported (non-native) builtins: %v", p.ImportedBuiltins())
}

// compare evaluates one input both ways; it returns "" when the decisions are identical.
func compare(t *testing.T, in *interpreter, p *Program, input map[string]any, raw []byte) string {
	t.Helper()
	ctx := context.Background()
	want, werr := in.eval(ctx, input)
	got, gerr := p.Eval(ctx, raw)
	if werr != nil || gerr != nil {
		if werr != nil && gerr != nil {
			return "" // both fail: equivalent enough for a spike, reported by the caller's log
		}
		return fmt.Sprintf("  interpreter error %v, wasm error %v\n", werr, gerr)
	}
	a, b := normalize(t, want), normalize(t, got)
	if reflect.DeepEqual(a, b) {
		return ""
	}
	return diff(a, b)
}

func TestFixturesMatchInterpreter(t *testing.T) {
	in, p := newInterpreter(t), program(t)
	for _, f := range fixtures(t) {
		if d := compare(t, in, p, f.input, f.raw); d != "" {
			t.Errorf("%s: decisions differ:\n%s", f.name, d)
		}
	}
}

// TestMutationsMatchInterpreter runs seeded random mutations of the fixtures through both.
func TestMutationsMatchInterpreter(t *testing.T) {
	in, p := newInterpreter(t), program(t)
	fs := fixtures(t)
	items := []string{}
	for _, f := range fs {
		items = append(items, f.input["item"].(string))
	}
	n := 400
	if testing.Short() {
		n = 100
	}
	rng := rand.New(rand.NewPCG(17, 2026))
	differ, total := 0, 0
	for i := range n {
		f := fs[rng.IntN(len(fs))]
		var m map[string]any
		_ = json.Unmarshal(f.raw, &m)
		var what []string
		for range 1 + rng.IntN(3) {
			what = append(what, mutate(rng, m, items))
		}
		raw, _ := json.Marshal(m)
		total++
		if d := compare(t, in, p, m, raw); d != "" {
			differ++
			t.Errorf("mutation %d of %s (%s): decisions differ:\n%s", i, f.name, strings.Join(what, "; "), d)
		}
	}
	t.Logf("%d mutated inputs, %d differ", total, differ)
}

// mutate changes one thing in the application document and says what.
func mutate(rng *rand.Rand, m map[string]any, items []string) string {
	switch rng.IntN(6) {
	case 0, 1: // a date by ±days or ±years
		paths := datePaths(m, "")
		if len(paths) == 0 {
			return "no date"
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
		return fmt.Sprintf("%s %s→%s", strings.Join(p, "."), s, d.Format("2006-01-02"))
	case 2: // drop or duplicate a material
		ms, _ := m["materials"].([]any)
		if len(ms) == 0 {
			return "no materials"
		}
		k := rng.IntN(len(ms))
		if rng.IntN(2) == 0 {
			m["materials"] = append(ms[:k:k], ms[k+1:]...)
			return fmt.Sprintf("drop material %d", k)
		}
		m["materials"] = append(ms, ms[k])
		return fmt.Sprintf("duplicate material %d", k)
	case 3: // flip a boolean
		paths := boolPaths(m, nil)
		if len(paths) == 0 {
			return "no boolean"
		}
		p := paths[rng.IntN(len(paths))]
		set(m, p, !get(m, p).(bool))
		return "flip " + strings.Join(p, ".")
	case 4: // change item
		it := items[rng.IntN(len(items))]
		m["item"] = it
		return "item→" + it
	default: // perturb a number
		paths := numberPaths(m, nil)
		if len(paths) == 0 {
			return "no number"
		}
		p := paths[rng.IntN(len(paths))]
		v := get(m, p).(float64)
		nv := float64(int(v * (0.5 + rng.Float64())))
		set(m, p, nv)
		return fmt.Sprintf("%s %v→%v", strings.Join(p, "."), v, nv)
	}
}

type path = []string

func walk(v any, p path, f func(path, any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			walk(c, append(append(path{}, p...), k), f)
		}
	case []any:
		for i, c := range x {
			walk(c, append(append(path{}, p...), fmt.Sprint(i)), f)
		}
	default:
		f(p, v)
	}
}

func collect(m map[string]any, keep func(any) bool) []path {
	var out []path
	walk(m, nil, func(p path, v any) {
		if keep(v) {
			out = append(out, p)
		}
	})
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], ".") < strings.Join(out[j], ".") })
	return out
}

func datePaths(m map[string]any, _ string) []path {
	return collect(m, func(v any) bool {
		s, ok := v.(string)
		if !ok || len(s) != 10 {
			return false
		}
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	})
}

func boolPaths(m map[string]any, _ path) []path {
	return collect(m, func(v any) bool { _, ok := v.(bool); return ok })
}

func numberPaths(m map[string]any, _ path) []path {
	return collect(m, func(v any) bool { _, ok := v.(float64); return ok })
}

func get(v any, p path) any {
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

func set(v any, p path, nv any) {
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

// TestSameFilesAsEngine: the Engine and this package load the same rulebook (same decision
// for a fixture through the Engine's typed Outcome and through the interpreter here).
func TestSameFilesAsEngine(t *testing.T) {
	ctx := context.Background()
	e, err := policies.Load(ctx, policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	res, err := loader.NewFileLoader().WithFS(policies.Builtin()).WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).All([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := LoadFS(policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	var nonTest int
	for name := range res.Modules {
		if !strings.HasSuffix(name, "_test.rego") {
			nonTest++
		}
	}
	if nonTest != len(rb.Modules) {
		t.Errorf("wasmeval loads %d modules, the directory has %d non-test modules", len(rb.Modules), nonTest)
	}
	p := program(t)
	for _, f := range fixtures(t) {
		out, err := e.Evaluate(ctx, f.input)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := p.Eval(ctx, f.raw)
		if err != nil {
			t.Fatal(err)
		}
		vs, _ := doc.(map[string]any)["violations"].([]any)
		if len(vs) != len(out.Violations) {
			t.Errorf("%s: engine %d violations, wasm %d", f.name, len(out.Violations), len(vs))
		}
	}
}

func TestConcurrentEval(t *testing.T) {
	in, p := newInterpreter(t), program(t)
	fs := fixtures(t)
	want := make([]string, len(fs))
	for i, f := range fs {
		d, err := in.eval(context.Background(), f.input)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = canon(normalize(t, d))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 20 {
				i := (g + r) % len(fs)
				d, err := p.Eval(context.Background(), fs[i].raw)
				if err != nil {
					t.Error(err)
					return
				}
				if got := canon(normalize(t, d)); got != want[i] {
					t.Errorf("%s: concurrent eval differs", fs[i].name)
				}
			}
		}()
	}
	wg.Wait()
}
