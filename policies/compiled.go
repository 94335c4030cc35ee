package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/compile"
	"github.com/open-policy-agent/opa/v1/ir"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/roadcheck/roadcheck/policies/planeval"
)

// Evaluator is the path an Engine decides applications on. Both evaluate the same Rego files
// with the same data; Load refuses a rulebook on which they disagree.
type Evaluator string

const (
	// Compiled runs OPA's IR plan of the rulebook (policies/planeval): the default.
	Compiled Evaluator = "compiled"
	// Interpreter runs OPA's top-down interpreter: the reference, kept behind --eval.
	Interpreter Evaluator = "interpreter"
)

// ParseEvaluator reads an --eval value.
func ParseEvaluator(s string) (Evaluator, error) {
	switch e := Evaluator(s); e {
	case Compiled, Interpreter:
		return e, nil
	}
	return "", fmt.Errorf("unknown evaluator %q (want %s or %s)", s, Compiled, Interpreter)
}

// Option changes how Load builds an Engine.
type Option func(*loadOptions)

type loadOptions struct {
	eval    Evaluator
	samples fs.FS
	// planHook, for tests, changes the plan before it is compiled (to prove the gate refuses a
	// compiled path that disagrees).
	planHook func(*ir.Policy)
}

// WithEvaluator makes the Engine decide on e (Compiled when not given).
func WithEvaluator(e Evaluator) Option {
	return func(o *loadOptions) { o.eval = e }
}

// WithSamples makes Load check the rulebook on the applications of fsys (NAME.json at its root)
// instead of the built-in ones (package samples).
func WithSamples(fsys fs.FS) Option {
	return func(o *loadOptions) { o.samples = fsys }
}

// planEntrypoint is decisionQuery as the planner names it.
const planEntrypoint = "roadcheck/decision"

// buildPlan plans data.roadcheck.decision from the loaded modules, as `opa build -t plan`
// does, and compiles it with the data for planeval.
func buildPlan(ctx context.Context, res *loader.Result, hook func(*ir.Policy)) (*planeval.Program, error) {
	b := &bundle.Bundle{Manifest: bundle.Manifest{Roots: &[]string{""}}, Data: map[string]any{}}
	names := make([]string, 0, len(res.Modules))
	for name := range res.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		m := res.Modules[name]
		// A copy: the build rewrites the modules it is given, and the interpreter keeps these.
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: name, Path: name, Raw: m.Raw, Parsed: m.Parsed.Copy()})
	}
	c := compile.New().
		WithTarget(compile.TargetPlan).
		WithEntrypoints(planEntrypoint).
		WithRegoVersion(ast.RegoV1).
		WithBundle(b)
	if err := c.Build(ctx); err != nil {
		return nil, fmt.Errorf("policies: plan: %w", err)
	}
	out := c.Bundle()
	if len(out.PlanModules) != 1 {
		return nil, fmt.Errorf("policies: plan: %d plan modules", len(out.PlanModules))
	}
	var policy ir.Policy
	if err := json.Unmarshal(out.PlanModules[0].Raw, &policy); err != nil {
		return nil, fmt.Errorf("policies: plan: %w", err)
	}
	if hook != nil {
		hook(&policy)
	}
	p, err := planeval.Compile(&policy, res.Documents)
	if err != nil {
		return nil, fmt.Errorf("policies: plan: %w", err)
	}
	return p, nil
}

// Sample is one application a rulebook carries (samples/*.json).
type Sample struct {
	Name  string
	Input map[string]any
}

// readSamples reads the applications every load decides on both paths.
func readSamples(fsys fs.FS) ([]Sample, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("policies: no sample applications: the compiled path cannot be checked against the interpreter")
	}
	out := make([]Sample, 0, len(names))
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("policies: %s: %w", name, err)
		}
		out = append(out, Sample{Name: path.Base(name), Input: m})
	}
	return out, nil
}

// Samples are the applications the rulebook carries, as Load read them.
func (e *Engine) Samples() []Sample { return e.samples }

// Evaluator is the path Evaluate decides on.
func (e *Engine) Evaluator() Evaluator { return e.eval }

// CheckPaths evaluates input on both paths and returns an error saying how the decision
// documents differ, nil when they are identical.
func (e *Engine) CheckPaths(ctx context.Context, input map[string]any) error {
	v, err := e.input.object(input)
	if err != nil {
		return fmt.Errorf("policies: input: %w", err)
	}
	want, werr := e.interpret(ctx, v)
	got, gerr := e.compiled(ctx, v)
	switch {
	case werr != nil && gerr != nil:
		return nil // both refuse the document
	case werr != nil || gerr != nil:
		return fmt.Errorf("interpreter: %v; compiled: %v", werr, gerr)
	}
	a, err := json.Marshal(want)
	if err != nil {
		return err
	}
	gv, err := ast.JSON(got)
	if err != nil {
		return err
	}
	b, err := json.Marshal(gv)
	if err != nil {
		return err
	}
	return difference(a, b, "interpreter", "compiled")
}

// difference says where two decision documents (canonical JSON) first differ, and how, nil
// when they are identical.
func difference(a, b []byte, nameA, nameB string) error {
	if bytes.Equal(a, b) {
		return nil
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return fmt.Errorf("decisions differ at byte %d: %s …%s…, %s …%s…", i, nameA, around(a, i), nameB, around(b, i))
}

// around is b near offset i, for a readable difference between two long documents.
func around(b []byte, i int) string {
	return string(bytes.ToValidUTF8(b[max(0, i-60):min(len(b), i+60)], nil))
}

// checkSamples is the load gate: both paths, every sample, identical decisions.
func (e *Engine) checkSamples(ctx context.Context) error {
	var errs []error
	for _, s := range e.samples {
		if err := e.CheckPaths(ctx, s.Input); err != nil {
			errs = append(errs, fmt.Errorf("sample %s: %w", s.Name, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("policies: the compiled path disagrees with the interpreter: %w", errors.Join(errs...))
	}
	return nil
}

// compiled evaluates the plan; the result set holds one {"result": decision}.
func (e *Engine) compiled(ctx context.Context, input ast.Value) (ast.Value, error) {
	rs, err := e.plan.Eval(ctx, planEntrypoint, input, planeval.Options{})
	if err != nil {
		return nil, fmt.Errorf("policies: evaluate: %w", err)
	}
	if len(rs) != 1 {
		return nil, errors.New("policies: decision is undefined")
	}
	obj, ok := rs[0].Value.(ast.Object)
	if !ok {
		return nil, errors.New("policies: plan result is not an object")
	}
	doc := obj.Get(ast.InternedTerm("result"))
	if doc == nil {
		return nil, errors.New("policies: decision is undefined")
	}
	return doc.Value, nil
}
