package wasmeval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/open-policy-agent/opa/v1/compile"

	"github.com/roadcheck/roadcheck/policies"
)

// Entrypoint is the rule the Program evaluates: data.roadcheck.decision, as a slash path.
const Entrypoint = "roadcheck/decision"

// Rulebook is the policy files of a rulebook as the Engine loads them: the parsed modules
// (annotations processed, _test.rego excluded) and the data documents.
type Rulebook struct {
	Modules map[string]*ast.Module
	Raw     map[string][]byte
	Data    map[string]any
}

// LoadFS reads the rulebook files of fsys as the Engine does (policies.LoadFiles).
func LoadFS(fsys fs.FS) (*Rulebook, error) {
	res, err := policies.LoadFiles(fsys)
	if err != nil {
		return nil, fmt.Errorf("wasmeval: %w", err)
	}
	if len(res.Modules) == 0 {
		return nil, errors.New("wasmeval: no .rego files found")
	}
	rb := &Rulebook{Modules: map[string]*ast.Module{}, Raw: map[string][]byte{}, Data: res.Documents}
	for name, f := range res.Modules {
		rb.Modules[name] = f.Parsed
		rb.Raw[name] = f.Raw
	}
	return rb, nil
}

// BuildWasm compiles the rulebook's modules to an OPA Wasm module (ABI 1.x) with the single
// entrypoint data.roadcheck.decision, in-process (the opa build -t wasm path, no CLI). The
// data is not compiled in; it is loaded into each instance's memory.
func BuildWasm(ctx context.Context, rb *Rulebook, entrypoint string, optLevel int) ([]byte, error) {
	b := &bundle.Bundle{
		Manifest: bundle.Manifest{Roots: &[]string{""}},
		Data:     map[string]any{},
	}
	for name, m := range rb.Modules {
		// A copy: the build rewrites the parsed modules it is given, and so does hostServe.
		m = m.Copy()
		hostServe(m)
		b.Modules = append(b.Modules, bundle.ModuleFile{URL: name, Path: name, Raw: rb.Raw[name], Parsed: m})
	}
	if optLevel > 0 {
		// The optimizer partially evaluates against the data in the bundle.
		b.Data = rb.Data
	}
	c := compile.New().
		WithTarget(compile.TargetWasm).
		WithEntrypoints(entrypoint).
		WithOptimizationLevel(optLevel).
		WithRegoVersion(ast.RegoV1).
		WithCapabilities(capabilities()).
		WithBundle(b)
	if err := c.Build(ctx); err != nil {
		return nil, fmt.Errorf("wasmeval: build wasm: %w", err)
	}
	out := c.Bundle()
	if len(out.WasmModules) != 1 {
		return nil, fmt.Errorf("wasmeval: build produced %d wasm modules", len(out.WasmModules))
	}
	return out.WasmModules[0].Raw, nil
}

func dataJSON(rb *Rulebook) ([]byte, error) {
	return json.Marshal(rb.Data)
}

// hostServed are builtins the Wasm library implements natively that the module calls back to
// the host for instead, under another name, with OPA's Go implementation of the original:
//
//   - regex.match: the native one (RE2 in Wasm) keeps its compiled patterns in a cache that
//     every opa_eval clears with the heap, so each decision compiled each pattern again
//     (~150 µs for the first regex.match of an eval). Go's implementation caches patterns
//     process-wide, and is the interpreter's own, so the two paths cannot disagree on a
//     pattern's syntax or meaning.
var hostServed = map[string]*ast.Builtin{
	"wasmeval.regex_match": ast.RegexMatch,
}

// hostServe renames, in m, the calls of the builtins hostServed takes over.
func hostServe(m *ast.Module) {
	byName := map[string]*ast.Term{}
	for alias, b := range hostServed {
		byName[b.Name] = ast.NewTerm(ast.MustParseRef(alias))
	}
	ast.WalkExprs(m, func(e *ast.Expr) bool {
		if ts, ok := e.Terms.([]*ast.Term); ok && len(ts) > 0 {
			if alias, ok := byName[ts[0].String()]; ok {
				ts[0] = alias.Copy().SetLocation(ts[0].Location)
			}
		}
		return false
	})
	ast.WalkTerms(m, func(t *ast.Term) bool {
		if c, ok := t.Value.(ast.Call); ok && len(c) > 0 {
			if alias, ok := byName[c[0].String()]; ok {
				c[0] = alias.Copy().SetLocation(c[0].Location)
			}
		}
		return false
	})
}

// capabilities are OPA's own plus the declarations of the hostServed aliases.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	for alias, b := range hostServed {
		caps.Builtins = append(caps.Builtins, &ast.Builtin{Name: alias, Decl: b.Decl})
	}
	return caps
}
