package wasmeval

import (
	"sort"
	"time"
	"context"
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/compile"
	"github.com/open-policy-agent/opa/v1/ir"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/policies/planeval"
)

func buildPlan(t testing.TB) *planeval.Program {
	rb, err := LoadFS(policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	b := &bundle.Bundle{Manifest: bundle.Manifest{Roots: &[]string{""}}, Data: map[string]any{}}
	for name, m := range rb.Modules {
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: name, Path: name, Raw: rb.Raw[name], Parsed: m.Copy()})
	}
	c := compile.New().WithTarget(compile.TargetPlan).WithEntrypoints(Entrypoint).WithRegoVersion(ast.RegoV1).WithBundle(b)
	if err := c.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	var policy ir.Policy
	if err := json.Unmarshal(c.Bundle().PlanModules[0].Raw, &policy); err != nil {
		t.Fatal(err)
	}
	p, err := planeval.Compile(&policy, rb.Data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func planDoc(t testing.TB, rs []*ast.Term) any {
	if len(rs) != 1 {
		t.Fatalf("result set %v", rs)
	}
	x, err := ast.JSON(rs[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	return x.(map[string]any)["result"]
}

func TestPlanSpike(t *testing.T) {
	p := buildPlan(t)
	in := newInterpreter(t)
	ctx := context.Background()
	for _, f := range fixtures(t) {
		v, err := ast.InterfaceToValue(f.input)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := p.Eval(ctx, Entrypoint, v, planeval.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := in.eval(ctx, f.input)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(normalize(t, want), normalize(t, planDoc(t, rs))); d != "" {
			t.Errorf("%s: %s", f.name, d)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	p := buildPlan(b)
	ctx := context.Background()
	benchDecisions(b, func(f fixture) error {
		v, err := ast.InterfaceToValue(f.input)
		if err != nil {
			return err
		}
		_, err = p.Eval(ctx, Entrypoint, v, planeval.Options{})
		return err
	})
}

func TestPlanProfile(t *testing.T) {
	p := buildPlan(t)
	ctx := context.Background()
	prof := map[string]time.Duration{}
	fs := fixtures(t)
	n := 50
	for range n {
		for _, f := range fs {
			v, _ := ast.InterfaceToValue(f.input)
			if _, err := p.Eval(ctx, Entrypoint, v, planeval.Options{Profile: prof}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for k, d := range prof {
		t.Logf("F %-60s %8.1f", k, float64(d.Microseconds())/float64(n*len(fs)))
	}
}

func TestPlanPerFixture(t *testing.T) {
	p := buildPlan(t)
	ctx := context.Background()
	for _, f := range fixtures(t) {
		v, _ := ast.InterfaceToValue(f.input)
		var ds []time.Duration
		for range 200 {
			start := time.Now()
			if _, err := p.Eval(ctx, Entrypoint, v, planeval.Options{}); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("P %-50s %8v %8v  %d bytes", f.name, ds[100], ds[198], len(f.raw))
	}
}
