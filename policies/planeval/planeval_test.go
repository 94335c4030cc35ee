package planeval_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/compile"
	"github.com/open-policy-agent/opa/v1/ir"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/roadcheck/roadcheck/policies/planeval"
)

const entrypoint = "t/out"

// plan compiles module (package t, the rule out) to a plan and then to a Program over data.
func plan(t *testing.T, module string, data map[string]any) (*planeval.Program, error) {
	t.Helper()
	parsed, err := ast.ParseModuleWithOpts("t.rego", module, ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	b := &bundle.Bundle{
		Manifest: bundle.Manifest{Roots: &[]string{""}},
		Data:     map[string]any{},
		Modules:  []bundle.ModuleFile{{URL: "t.rego", Path: "t.rego", Raw: []byte(module), Parsed: parsed}},
	}
	c := compile.New().WithTarget(compile.TargetPlan).WithEntrypoints(entrypoint).WithRegoVersion(ast.RegoV1).WithBundle(b)
	if err := c.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	var policy ir.Policy
	if err := json.Unmarshal(c.Bundle().PlanModules[0].Raw, &policy); err != nil {
		t.Fatal(err)
	}
	return planeval.Compile(&policy, data)
}

// interpret is data.t.out by OPA's interpreter: its JSON, "undefined", or "error".
func interpret(t *testing.T, module string, data, input map[string]any) string {
	t.Helper()
	r := rego.New(rego.Query("data.t.out"), rego.Module("t.rego", module), rego.Input(input),
		rego.Store(inmemStore(data)))
	rs, err := r.Eval(context.Background())
	if err != nil {
		return "error"
	}
	if len(rs) == 0 {
		return "undefined"
	}
	b, _ := json.Marshal(rs[0].Expressions[0].Value)
	return string(b)
}

func compiled(t *testing.T, p *planeval.Program, input map[string]any) string {
	t.Helper()
	v, err := ast.InterfaceToValue(input)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := p.Eval(context.Background(), entrypoint, v, planeval.Options{})
	if err != nil {
		return "error"
	}
	if len(rs) == 0 {
		return "undefined"
	}
	res := rs[0].Value.(ast.Object).Get(ast.StringTerm("result"))
	if res == nil {
		return "undefined"
	}
	x, err := ast.JSON(res.Value)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(x)
	return string(b)
}

var data = map[string]any{
	"limits": map[string]any{"a": 1, "b": 2, "c": 3},
	"kinds":  []any{"x", "y", "z"},
	"rules":  map[string]any{"x": map[string]any{"min": 2}, "y": map[string]any{"min": 5}},
}

// Each case is a module whose data.t.out the interpreter and the compiled plan must agree on,
// for every input; want is the interpreter's answer for the first input (so a case cannot pass
// by both paths being wrong in the same way).
var cases = []struct {
	name   string
	module string
	inputs []map[string]any
	want   string
}{
	{"complete rule and else", `package t
out := "big" if { input.n > 10 } else := "small" if { input.n > 0 } else := "none"`,
		[]map[string]any{{"n": 11}, {"n": 3}, {"n": -1}, {}}, `"big"`},
	{"undefined when a body fails", `package t
out := input.a.b.c`,
		[]map[string]any{{"a": map[string]any{"b": map[string]any{}}}, {"a": map[string]any{"b": map[string]any{"c": 1}}}, {"a": 1}}, `undefined`},
	{"regex.match with literal patterns and a pattern from input", `package t
out := [regex.match("^[0-9]{4}-[0-9]{2}$", input.s), regex.match(input.p, input.s), regex.match("\\S", input.s)]
`, []map[string]any{{"s": "2026-12", "p": "^2"}, {"s": " ", "p": "x"}, {"s": 5, "p": "x"}, {"s": "2026-12", "p": "("}}, `[true,true,true]`},
	{"regex.match with a literal pattern that does not compile", `package t
out if regex.match("(", input.s)
`, []map[string]any{{"s": "("}, {"s": 1}}, `undefined`},
	{"default", `package t
default out := false
out if input.ok == true`,
		[]map[string]any{{"ok": false}, {"ok": true}, {}}, `false`},
	{"not", `package t
out if not input.x
`, []map[string]any{{}, {"x": false}, {"x": 1}}, `true`},
	{"not over a call and a comparison", `package t
big(n) if n > 3
out if { not big(input.n); input.n != 0 }`, []map[string]any{{"n": 2}, {"n": 4}, {"n": 0}}, `true`},
	{"array comprehensions: nested, empty, in a loop, over objects and sets, with duplicates", `package t
out := {
	"nested": [[(y * x) | some y in input.xs] | some x in input.xs],
	"filtered": [x | some x in input.xs; x > 100],
	"each": [count([k | some k, _ in o]) | some o in input.os],
	"set": [x | some x in {x | some x in input.xs}],
	"dups": [1 | some _ in input.xs],
	"sum": sum([x | some x in input.xs]),
	"twice": [(a == b) | a := [x | some x in input.xs]; b := [x | some x in input.xs]],
}`, []map[string]any{
		{"xs": []any{1, 2, 2, 3}, "os": []any{map[string]any{"a": 1}, map[string]any{}, map[string]any{"b": 1, "c": 2}}},
		{"xs": []any{}, "os": []any{}},
		{"xs": "no", "os": 1},
	}, `{"dups":[1,1,1,1],"each":[1,0,2],"filtered":[],"nested":[[1,2,2,3],[2,4,4,6],[2,4,4,6],[3,6,6,9]],"set":[1,2,3],"sum":8,"twice":[true]}`},
	{"an array comprehension whose loop fails part way", `package t
f(x) := 10 / x
out := [f(x) | some x in input.xs]`, []map[string]any{{"xs": []any{1, 2}}, {"xs": []any{1, 0, 2}}, {"xs": []any{}}}, `[10,5]`},
	{"partial set over an array scan", `package t
out contains k if { some k in input.xs; k > 1 }`,
		[]map[string]any{{"xs": []any{1, 2, 3, 2}}, {"xs": []any{}}, {"xs": "no"}}, `[2,3]`},
	{"object scan with keys", `package t
out contains [k, v] if { some k, v in data.limits; v >= input.min }`,
		[]map[string]any{{"min": 2}, {"min": 9}}, `[["b",2],["c",3]]`},
	{"set scan", `package t
s := {x | some x in input.xs}
out := [x | some x in s; x != "b"]`,
		[]map[string]any{{"xs": []any{"c", "a", "b", "a"}}}, `["a","c"]`},
	{"every", `package t
out if every x in input.xs { x > 0 }`,
		[]map[string]any{{"xs": []any{1, 2}}, {"xs": []any{1, -2}}, {"xs": []any{}}}, `true`},
	{"object comprehension and object.get", `package t
out := {k: object.get(data.rules, [k, "min"], 0) | some k in data.kinds}`,
		[]map[string]any{{}}, `{"x":2,"y":5,"z":0}`},
	{"partial object", `package t
out[k] := v if { some k, v in input.m; v != null }`,
		[]map[string]any{{"m": map[string]any{"a": 1, "b": nil}}}, `{"a":1}`},
	{"functions with several bodies", `package t
kind(x) := "num" if is_number(x)
kind(x) := "str" if is_string(x)
out := [kind(x) | some x in input.xs]`,
		[]map[string]any{{"xs": []any{1, "a", true}}}, `["num","str"]`},
	{"dynamic reference into rules", `package t
by_kind.x := "ex"
by_kind.y := "why"
out := by_kind[input.k]`,
		[]map[string]any{{"k": "x"}, {"k": "y"}, {"k": "q"}}, `"ex"`},
	{"dynamic reference into data", `package t
out := data.rules[input.k].min`,
		[]map[string]any{{"k": "y"}, {"k": "q"}}, `5`},
	{"builtin error is undefined", `package t
out := to_number(input.s)`,
		[]map[string]any{{"s": "x"}, {"s": "12"}}, `undefined`},
	{"relation builtin (walk)", `package t
out := [p | walk(input.doc, [p, v]); is_number(v)]`,
		[]map[string]any{{"doc": map[string]any{"a": []any{1, "s", map[string]any{"b": 2}}}}}, `[["a",0],["a",2,"b"]]`},
	{"strings, sprintf and arithmetic", `package t
out := {"s": sprintf("%s-%d", [upper(input.s), input.n * 3 - 1]), "f": floor(input.n / 2), "r": input.n % 3}`,
		[]map[string]any{{"s": "ab", "n": 7}, {"s": "", "n": 0}}, `{"f":3,"r":1,"s":"AB-20"}`},
	{"numbers compare by value", `package t
out if input.a == input.b`,
		[]map[string]any{{"a": 1, "b": 1.0}, {"a": 1, "b": 2}}, `true`},
	{"conflict is an error on both paths", `package t
out := x if some x in input.xs`,
		[]map[string]any{{"xs": []any{1, 2}}, {"xs": []any{1}}}, `error`},
	{"a function's bodies: one value, the same value twice, two values (a conflict), none", `package t
f(x) := 1 if x > 0
f(x) := 1 if x > 5
f(x) := 2 if x > 10
out := [f(input.n)]`,
		[]map[string]any{{"n": 1}, {"n": 6}, {"n": 11}, {"n": 0}}, `[1]`},
	{"time builtins", `package t
out := time.format([time.add_date(time.parse_ns("2006-01-02", input.d), 0, 1, 0), "UTC", "2006-01-02"])`,
		[]map[string]any{{"d": "2024-01-31"}, {"d": "bad"}}, `"2024-03-02"`},
	{"membership", `package t
out if input.k in data.kinds`,
		[]map[string]any{{"k": "y"}, {"k": "w"}}, `true`},
}

func TestSameAsInterpreter(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := plan(t, c.module, data)
			if err != nil {
				t.Fatal(err)
			}
			for i, in := range c.inputs {
				want, got := interpret(t, c.module, data, in), compiled(t, p, in)
				if i == 0 && want != c.want {
					t.Fatalf("interpreter gives %s for %v, the case expects %s", want, in, c.want)
				}
				if got != want {
					t.Errorf("input %v: compiled %s, interpreter %s", in, got, want)
				}
			}
		})
	}
}

func TestWithIsRefused(t *testing.T) {
	_, err := plan(t, `package t
f := input.x
out if {
	f == 1 with input.x as 1
}`, nil)
	if err == nil || !strings.Contains(err.Error(), "with") {
		t.Fatalf("err = %v, want the `with` refusal", err)
	}
}

func TestUnknownPlan(t *testing.T) {
	p, err := plan(t, "package t\nout := 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Eval(context.Background(), "t/nope", nil, planeval.Options{}); err == nil {
		t.Fatal("no error for an unknown plan")
	}
}

// TestCancelled: a cancelled context stops a long evaluation with the context's error.
func TestCancelled(t *testing.T) {
	p, err := plan(t, `package t
f(i) := i * 2
out := count([y | some i in numbers.range(1, input.n); y := f(i)])`, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := ast.NewObject([2]*ast.Term{ast.StringTerm("n"), ast.IntNumberTerm(100000)})
	_, err = p.Eval(ctx, entrypoint, in, planeval.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// and without cancellation it completes
	ctx, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	rs, err := p.Eval(ctx, entrypoint, in, planeval.Options{})
	if err != nil || len(rs) != 1 {
		t.Fatalf("rs = %v, err = %v", rs, err)
	}
}

// TestCancelledLoop: a loop that calls no function stops on a cancelled context too.
func TestCancelledLoop(t *testing.T) {
	p, err := plan(t, `package t
out := count([y | some i in numbers.range(1, input.n); y := i * 2])`, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := ast.NewObject([2]*ast.Term{ast.StringTerm("n"), ast.IntNumberTerm(100000)})
	if _, err = p.Eval(ctx, entrypoint, in, planeval.Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func inmemStore(data map[string]any) storage.Store {
	if data == nil {
		data = map[string]any{}
	}
	return inmem.NewFromObject(data)
}

// TestBreaks pins how far a break leaves, on hand-built plans: a scan and a negation are a
// level each (as a Wasm loop and block are in OPA's Wasm compiler), a block statement is not.
// Each plan adds "after" to the result set only if the statement after the one under test runs.
func TestBreaks(t *testing.T) {
	loc := func(i int) ir.Operand { return ir.Operand{Value: ir.Local(i)} }
	str := func(i int) ir.Operand { return ir.Operand{Value: ir.StringIndex(i)} }
	// locals: 0 input, 1 data, 2 the array [1, 2, 3], 3/4 scan key/value, 5 count of iterations
	prelude := []ir.Stmt{
		&ir.MakeArrayStmt{Capacity: 3, Target: 2},
		&ir.MakeNumberIntStmt{Value: 1, Target: 6},
		&ir.ArrayAppendStmt{Value: loc(6), Array: 2},
		&ir.ArrayAppendStmt{Value: loc(6), Array: 2},
		&ir.ArrayAppendStmt{Value: loc(6), Array: 2},
		&ir.MakeArrayStmt{Capacity: 3, Target: 5},
	}
	after := []ir.Stmt{
		&ir.MakeObjectStmt{Target: 7},
		&ir.ObjectInsertStmt{Key: str(0), Value: loc(5), Object: 7},
		&ir.ResultSetAddStmt{Value: 7},
	}
	scan := func(body ...ir.Stmt) ir.Stmt {
		return &ir.ScanStmt{Source: 2, Key: 3, Value: 4, Block: &ir.Block{Stmts: append([]ir.Stmt{
			&ir.ArrayAppendStmt{Value: loc(4), Array: 5}}, body...)}}
	}
	cases := []struct {
		name string
		stmt ir.Stmt
		want string // the iterations seen, or "" when the statements after are left
	}{
		{"scan body undefined goes on", scan(&ir.IsUndefinedStmt{Source: 2}), "[1, 1, 1]"},
		{"break 0 in a scan leaves the body", scan(&ir.BreakStmt{Index: 0}), "[1, 1, 1]"},
		{"break 1 in a scan stops the scan", scan(&ir.BreakStmt{Index: 1}), "[1]"},
		{"break 2 in a scan leaves the enclosing block", scan(&ir.BreakStmt{Index: 2}), ""},
		{"not of an undefined block holds", &ir.NotStmt{Block: &ir.Block{Stmts: []ir.Stmt{&ir.IsUndefinedStmt{Source: 2}}}}, "[]"},
		{"not of a defined block fails", &ir.NotStmt{Block: &ir.Block{Stmts: []ir.Stmt{&ir.IsDefinedStmt{Source: 2}}}}, ""},
		{"break 1 in a not leaves the enclosing block", &ir.NotStmt{Block: &ir.Block{Stmts: []ir.Stmt{&ir.BreakStmt{Index: 1}}}}, ""},
		{"break 0 in a block statement goes on", &ir.BlockStmt{Blocks: []*ir.Block{{Stmts: []ir.Stmt{&ir.BreakStmt{Index: 0}}}}}, "[]"},
		{"break 1 in a block statement leaves the enclosing block", &ir.BlockStmt{Blocks: []*ir.Block{{Stmts: []ir.Stmt{&ir.BreakStmt{Index: 1}}}}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stmts := append(append(append([]ir.Stmt{}, prelude...), c.stmt), after...)
			policy := &ir.Policy{
				Static: &ir.Static{Strings: []*ir.StringConst{{Value: "seen"}}},
				Plans:  &ir.Plans{Plans: []*ir.Plan{{Name: "p", Blocks: []*ir.Block{{Stmts: stmts}}}}},
				Funcs:  &ir.Funcs{},
			}
			p, err := planeval.Compile(policy, nil)
			if err != nil {
				t.Fatal(err)
			}
			rs, err := p.Eval(context.Background(), "p", ast.NewObject(), planeval.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(rs) == 1 {
				got = rs[0].Value.(ast.Object).Get(ast.StringTerm("seen")).String()
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestLiteralsStillBeingBuiltAreNotShared: a literal object is built once at compile time and
// shared, but not one the plan goes on inserting into after the literal part (it would be
// copied for every evaluation): no evaluation sees another's insert.
func TestLiteralsStillBeingBuiltAreNotShared(t *testing.T) {
	loc := func(i int) ir.Operand { return ir.Operand{Value: ir.Local(i)} }
	str := func(i int) ir.Operand { return ir.Operand{Value: ir.StringIndex(i)} }
	policy := &ir.Policy{
		Static: &ir.Static{Strings: []*ir.StringConst{{Value: "a"}, {Value: "one"}, {Value: "x"}}},
		Plans: &ir.Plans{Plans: []*ir.Plan{{Name: "p", Blocks: []*ir.Block{{Stmts: []ir.Stmt{
			&ir.MakeObjectStmt{Target: 2},
			&ir.ObjectInsertStmt{Key: str(0), Value: str(1), Object: 2}, // {"a": "one"}: folded
			&ir.DotStmt{Source: loc(0), Key: str(2), Target: 3},
			&ir.ObjectInsertStmt{Key: loc(3), Value: str(1), Object: 2}, // then input.x: "one"
			&ir.ResultSetAddStmt{Value: 2},
		}}}}}},
		Funcs: &ir.Funcs{},
	}
	p, err := planeval.Compile(policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{"b", "c", "b"} {
		in := ast.NewObject([2]*ast.Term{ast.StringTerm("x"), ast.StringTerm(x)})
		rs, err := p.Eval(context.Background(), "p", in, planeval.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := rs[0].String(), `{"a": "one", "`+x+`": "one"}`; got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
}

// TestPartialSetsStartShared: a partial set rule starts from one empty set shared by every
// evaluation (most deny rules are empty); adding a member copies it first, so an evaluation
// that adds members changes neither the shared set nor a later evaluation's result, and an
// empty rule's value is the shared set (no allocation).
func TestPartialSetsStartShared(t *testing.T) {
	module := `package t
members contains x if some x in input.xs
out := {"members": members}`
	p, err := plan(t, module, nil)
	if err != nil {
		t.Fatal(err)
	}
	members := func(xs ...any) *ast.Term {
		t.Helper()
		in, err := ast.InterfaceToValue(map[string]any{"xs": xs})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := p.Eval(context.Background(), entrypoint, in, planeval.Options{})
		if err != nil || len(rs) != 1 {
			t.Fatalf("eval: %v, %d results", err, len(rs))
		}
		out, err := rs[0].Value.(ast.Object).Find(ast.MustParseRef("x.result.members")[1:])
		if err != nil {
			t.Fatal(err)
		}
		return ast.NewTerm(out)
	}
	empty := members()
	for _, c := range []struct {
		xs   []any
		want string
	}{{[]any{1, 2}, "{1, 2}"}, {nil, "set()"}, {[]any{3}, "{3}"}, {nil, "set()"}} {
		if got := members(c.xs...); got.String() != c.want {
			t.Fatalf("members of %v: %s, want %s", c.xs, got, c.want)
		}
	}
	if got := members(); got.Value != empty.Value {
		t.Error("an empty partial set rule allocated a set of its own")
	}
}

// TestConstantRules: a rule that reads only data is computed once, at Compile, and gives the
// same value as the interpreter; one that reads the input is not.
func TestConstantRules(t *testing.T) {
	module := `package t
kinds := {k | some k in data.kinds}
mins := {k: r.min | some k, r in data.rules}
uses_input if input.x
out := {"kinds": kinds, "mins": mins, "n": count(kinds), "x": object.get(mins, input.k, 0)}`
	p, err := plan(t, module, data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Constants() < 2 {
		t.Errorf("%d constant rules, want kinds and mins at least", p.Constants())
	}
	for _, in := range []map[string]any{{"k": "y"}, {"k": "x"}, {}} {
		if got, want := compiled(t, p, in), interpret(t, module, data, in); got != want {
			t.Errorf("input %v: compiled %s, interpreter %s", in, got, want)
		}
	}
}
