// Package policies holds roadcheck's rulebook (Rego files and their data) and the Engine that
// compiles it once and evaluates it per application.
package policies

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/roadcheck/roadcheck/policies/planeval"
	"github.com/roadcheck/roadcheck/samples"
)

// Query paths the Go side relies on; the Rego side defines them in decision.rego.
const (
	decisionQuery  = "data.roadcheck.decision"
	catalogueQuery = "data.roadcheck.catalogue"
	itemsQuery     = "data.data.items"
	materialsQuery = "data.data.materials"
	photoQuery     = "data.data.limits.photo_kinds"
	calendarQuery  = "data.data.calendar"
	dataQuery      = "data.data"
)

// Violation is one failed rule, built by the rulebook's violation builder from the rule's METADATA.
type Violation struct {
	Code      string         `json:"code"`
	Severity  string         `json:"severity"`
	Message   string         `json:"message"`
	MessageEN string         `json:"message_en"`
	Basis     string         `json:"basis"`
	Fix       string         `json:"fix"`
	Field     string         `json:"field"`
	Material  string         `json:"material"`
	Params    map[string]any `json:"params"`
}

// RequiredMaterial is one material kind of an item, with its condition resolved for the input.
type RequiredMaterial struct {
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en,omitempty"`
	Required bool   `json:"required"`
}

// Outcome is what the rulebook says about one application. Violations are sorted by code,
// then material, then field.
type Outcome struct {
	Violations        []Violation
	RequiredMaterials []RequiredMaterial
}

// Item is what the service needs to know of an item beyond its rules: what approving it
// issues and whether the reviewer grades it (items.json "certificate" and "grades"). The
// values are the service's and the certificate format's vocabulary; service.NewRules refuses a
// rulebook naming one it does not know.
type Item struct {
	Code    string
	Name    string // Chinese title, for messages
	NameEN  string
	Subject string // the record the item is about: qualification or vehicle
	// Certificate is the signed certificate approving the item issues; nil when approving
	// records the delivery of a physical certificate instead.
	Certificate *CertificateSpec
	// Grades the reviewer gives on approval (one required); empty when the item is not graded.
	Grades []string
}

// CertificateSpec is an item's "certificate" in items.json.
type CertificateSpec struct {
	Type     string `json:"type"`     // the certificate format's type: integrity_assessment, annual_review
	Validity string `json:"validity"` // how long it is valid: assessment_cycle, one_year
}

// Engine is a compiled, prepared rulebook at one revision. It is immutable and safe for
// concurrent use; a reload builds a new Engine.
type Engine struct {
	revision  string
	loadedAt  time.Time
	decision  rego.PreparedEvalQuery
	items     map[string]Item
	materials map[string]string // kind → Chinese name
	idPhotos  map[string]bool   // limits.photo_kinds: the ID-photo material kinds
	catalogue json.RawMessage
	calendar  json.RawMessage
	contract  *Contract
	eval      Evaluator
	plan      *planeval.Program
	samples   []Sample
	keys      decisionKeys
	input     inputConverter
}

// Load reads the rulebook files of fsys (see isPolicyFile; test files excluded from evaluation
// but included in the revision), compiles and prepares the decision query for the interpreter
// and as an IR plan, and refuses the rulebook unless both give identical decisions on every
// sample application (package samples, or WithSamples).
func Load(ctx context.Context, fsys fs.FS, opts ...Option) (*Engine, error) {
	o := loadOptions{eval: Compiled, samples: samples.FS()}
	for _, opt := range opts {
		opt(&o)
	}
	files, err := policyFiles(fsys)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("policies: no .rego or .json files found")
	}
	res, err := LoadFiles(fsys)
	if err != nil {
		return nil, err
	}
	compiler, err := res.Compiler()
	if err != nil {
		return nil, fmt.Errorf("policies: compile: %w", err)
	}
	// Data kept as AST values: otherwise every read of data.data.* in every rule converts the
	// JSON subtree to AST again, which was the largest single cost of an evaluation.
	store, err := res.StoreWithOpts(inmem.OptReturnASTValuesOnRead(true))
	if err != nil {
		return nil, fmt.Errorf("policies: data: %w", err)
	}
	e := &Engine{revision: revision(files), loadedAt: time.Now().UTC(), eval: o.eval, keys: newDecisionKeys()}
	if e.samples, err = readSamples(o.samples); err != nil {
		return nil, err
	}

	e.decision, err = rego.New(
		rego.Query(decisionQuery),
		rego.Compiler(compiler),
		rego.Store(store),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("policies: prepare: %w", err)
	}

	var items map[string]itemData
	if err := evalOnce(ctx, compiler, store, itemsQuery, &items); err != nil {
		return nil, err
	}
	var materials map[string]struct {
		Name string `json:"name"`
	}
	if err := evalOnce(ctx, compiler, store, materialsQuery, &materials); err != nil {
		return nil, err
	}
	e.materials = make(map[string]string, len(materials))
	for kind, m := range materials {
		e.materials[kind] = m.Name
	}
	if e.items, err = itemsFrom(items); err != nil {
		return nil, err
	}
	var photos []string
	if err := evalOnce(ctx, compiler, store, photoQuery, &photos); err != nil {
		return nil, err
	}
	e.idPhotos = make(map[string]bool, len(photos))
	for _, kind := range photos {
		if _, ok := e.materials[kind]; !ok {
			return nil, fmt.Errorf("policies: data.limits.photo_kinds: %q is not a material of data/materials.json", kind)
		}
		e.idPhotos[kind] = true
	}
	if err := evalOnce(ctx, compiler, store, catalogueQuery, &e.catalogue); err != nil {
		return nil, err
	}
	if err := evalOnce(ctx, compiler, store, calendarQuery, &e.calendar); err != nil {
		return nil, err
	}
	var all map[string]any
	if err := evalOnce(ctx, compiler, store, dataQuery, &all); err != nil {
		return nil, err
	}
	if e.contract, err = compileContract(all); err != nil {
		return nil, err
	}
	e.input = newInputConverter(e.contract)
	if e.plan, err = buildPlan(ctx, res, o.planHook); err != nil {
		return nil, err
	}
	if err := e.checkSamples(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// itemData is what Load reads of an item in items.json besides the rules' own keys.
type itemData struct {
	Name        string           `json:"name"`
	NameEN      string           `json:"name_en"`
	Subject     string           `json:"subject"`
	Certificate *json.RawMessage `json:"certificate"`
	Grades      []string         `json:"grades"`
}

// itemsFrom checks the service's keys of items.json for shape: a certificate is an object with
// exactly a type and a validity, grades are distinct codes. What the values mean is checked by
// service.NewRules, which dispatches on them.
func itemsFrom(data map[string]itemData) (map[string]Item, error) {
	items := make(map[string]Item, len(data))
	for code, d := range data {
		it := Item{Code: code, Name: d.Name, NameEN: d.NameEN, Subject: d.Subject}
		if d.Certificate != nil {
			var c CertificateSpec
			dec := json.NewDecoder(bytes.NewReader(*d.Certificate))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				return nil, fmt.Errorf("policies: items.%s.certificate: want {\"type\": …, \"validity\": …}: %w", code, err)
			}
			if c.Type == "" || c.Validity == "" {
				return nil, fmt.Errorf("policies: items.%s.certificate: type and validity are required", code)
			}
			it.Certificate = &c
		}
		seen := map[string]bool{}
		for _, g := range d.Grades {
			if g == "" || seen[g] {
				return nil, fmt.Errorf("policies: items.%s.grades: empty or repeated grade %q", code, g)
			}
			seen[g] = true
		}
		it.Grades = d.Grades
		items[code] = it
	}
	return items, nil
}

// evalOnce evaluates a query that must produce exactly one value and decodes it into out.
func evalOnce(ctx context.Context, c *ast.Compiler, s storage.Store, query string, out any) error {
	rs, err := rego.New(rego.Query(query), rego.Compiler(c), rego.Store(s)).Eval(ctx)
	if err != nil {
		return fmt.Errorf("policies: %s: %w", query, err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return fmt.Errorf("policies: %s is undefined", query)
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("policies: %s: %w", query, err)
	}
	return nil
}

// LoadFiles parses what the Engine evaluates of the rulebook in fsys: its policy files
// (isPolicyFile) without the tests, annotations processed, and its data documents. Both
// evaluation paths (the interpreter and the IR plan) are built from what it returns.
func LoadFiles(fsys fs.FS) (*loader.Result, error) {
	res, err := loader.NewFileLoader().
		WithFS(fsys).
		WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		Filtered([]string{"."}, func(abspath string, info fs.FileInfo, _ int) bool {
			if info.IsDir() {
				return false
			}
			return !isPolicyFile(abspath) || strings.HasSuffix(abspath, "_test.rego")
		})
	if err != nil {
		return nil, fmt.Errorf("policies: load: %w", err)
	}
	return res, nil
}

// isPolicyFile is the one definition of the rulebook's files: name (a slash path relative to
// the rulebook's root) is part of the rulebook when it is a .rego or .json file and none of its
// path elements begins with "." or "_". Everything agrees on it: the revision hashes exactly
// these files, Load compiles them (less *_test.rego), RunTests runs them. The "." and "_" rule
// is go:embed's own for the directories of the //go:embed line in builtin.go, so the built-in
// rulebook and the same directory read from disk (serve --policies) are the same files, with
// the same revision; anything else there (Go files, an editor's .#lock or _scratch.rego) is
// neither hashed nor loaded on either side.
func isPolicyFile(name string) bool {
	if !strings.HasSuffix(name, ".rego") && !strings.HasSuffix(name, ".json") {
		return false
	}
	for elem := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(elem, ".") || strings.HasPrefix(elem, "_") {
			return false
		}
	}
	return true
}

type policyFile struct {
	name string
	data []byte
}

func policyFiles(fsys fs.FS) ([]policyFile, error) {
	var files []policyFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isPolicyFile(p) {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files = append(files, policyFile{name: path.Clean(p), data: b})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, err
}

// revision is sha256 over the sorted policy files (name and content), so the same rulebook
// gives the same revision on every replica, whether embedded or read from a directory.
func revision(files []policyFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00", f.name, len(f.data))
		h.Write(f.data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Revision identifies the rulebook: sha256 over its files.
func (e *Engine) Revision() string { return e.revision }

// LoadedAt is when this revision was compiled.
func (e *Engine) LoadedAt() time.Time { return e.loadedAt }

// HasItem reports whether the rulebook knows the service item code.
func (e *Engine) HasItem(code string) bool {
	_, ok := e.items[code]
	return ok
}

// Item is what the service needs of an item (its certificate, its grades); false when the
// rulebook does not know the code. Its slices are the engine's own: read, never modify.
func (e *Engine) Item(code string) (Item, bool) {
	it, ok := e.items[code]
	return it, ok
}

// ItemCodes lists the item codes of the rulebook, sorted.
func (e *Engine) ItemCodes() []string {
	codes := make([]string, 0, len(e.items))
	for code := range e.items {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return codes
}

// IDPhoto reports whether the material kind is an ID photo (data.limits.photo_kinds): the
// kinds whose background is classified on upload and judged by the photo rules.
func (e *Engine) IDPhoto(kind string) bool { return e.idPhotos[kind] }

// HasMaterial reports whether the material catalogue knows the kind.
func (e *Engine) HasMaterial(kind string) bool {
	_, ok := e.materials[kind]
	return ok
}

// MaterialName is the catalogue's Chinese name of a material kind, for messages; "" when the
// catalogue does not know the kind.
func (e *Engine) MaterialName(kind string) string { return e.materials[kind] }

// Catalogue is the rulebook's description of the nine items (names, materials, form fields,
// reasons) as JSON, for portals to render their forms from.
func (e *Engine) Catalogue() json.RawMessage { return e.catalogue }

// Contract is the input contract of this revision: the declared type of every field.
func (e *Engine) Contract() *Contract { return e.contract }

// Calendar is the working-day calendar of the policy data, as JSON.
func (e *Engine) Calendar() json.RawMessage { return e.calendar }

// Evaluate runs the rulebook over one application document. input must be JSON-shaped
// (map[string]any, []any, string, json.Number, float64, bool, nil).
func (e *Engine) Evaluate(ctx context.Context, input map[string]any) (Outcome, error) {
	v, err := e.input.object(input)
	if err != nil {
		return Outcome{}, fmt.Errorf("policies: input: %w", err)
	}
	if e.eval == Interpreter {
		doc, err := e.interpret(ctx, v)
		if err != nil {
			return Outcome{}, err
		}
		return outcomeFrom(doc)
	}
	doc, err := e.compiled(ctx, v)
	if err != nil {
		return Outcome{}, err
	}
	return e.keys.outcome(doc)
}

// decisionKeys are the decision document's keys as terms, made once: a key made per lookup
// was a quarter of a decision's allocations in reading its outcome.
type decisionKeys struct {
	violations, requiredMaterials                                   *ast.Term
	code, severity, message, messageEN, basis, fix, field, material *ast.Term
	params, required, kind, name, nameEN                            *ast.Term
}

func newDecisionKeys() decisionKeys {
	t := ast.StringTerm
	return decisionKeys{
		violations: t("violations"), requiredMaterials: t("required_materials"),
		code: t("code"), severity: t("severity"), message: t("message"), messageEN: t("message_en"),
		basis: t("basis"), fix: t("fix"), field: t("field"), material: t("material"),
		params: t("params"), required: t("required"), kind: t("kind"), name: t("name"), nameEN: t("name_en"),
	}
}

// outcome is outcomeFrom for the compiled path's document, read from the AST values in place
// (only params are converted to Go values): the same Outcome, without building the whole
// document as maps first.
func (k *decisionKeys) outcome(doc ast.Value) (Outcome, error) {
	obj, ok := doc.(ast.Object)
	if !ok {
		return Outcome{}, errors.New("policies: decision is not an object")
	}
	var out Outcome
	var vs []*ast.Term
	switch c := member(obj, k.violations).(type) {
	case ast.Set:
		vs = c.Slice()
	case *ast.Array:
		for i := range c.Len() {
			vs = append(vs, c.Elem(i))
		}
	}
	out.Violations = make([]Violation, 0, len(vs))
	for _, t := range vs {
		m, ok := t.Value.(ast.Object)
		if !ok {
			return Outcome{}, errors.New("policies: violation is not an object")
		}
		v := Violation{
			Code:      astStr(member(m, k.code)),
			Severity:  astStr(member(m, k.severity)),
			Message:   astStr(member(m, k.message)),
			MessageEN: astStr(member(m, k.messageEN)),
			Basis:     astStr(member(m, k.basis)),
			Fix:       astStr(member(m, k.fix)),
			Field:     astStr(member(m, k.field)),
			Material:  astStr(member(m, k.material)),
		}
		if p, ok := member(m, k.params).(ast.Object); ok {
			x, err := ast.JSON(p)
			if err != nil {
				return Outcome{}, fmt.Errorf("policies: decision: %w", err)
			}
			v.Params, _ = x.(map[string]any)
		}
		if v.Params == nil {
			v.Params = map[string]any{}
		}
		if v.Code == "" || (v.Severity != "error" && v.Severity != "warning") {
			return Outcome{}, fmt.Errorf("policies: malformed violation %v", m)
		}
		out.Violations = append(out.Violations, v)
	}
	SortViolations(out.Violations)
	ms, _ := member(obj, k.requiredMaterials).(*ast.Array)
	n := 0
	if ms != nil {
		n = ms.Len()
	}
	out.RequiredMaterials = make([]RequiredMaterial, 0, n)
	for i := range n {
		m, ok := ms.Elem(i).Value.(ast.Object)
		if !ok {
			return Outcome{}, errors.New("policies: required material is not an object")
		}
		req, _ := member(m, k.required).(ast.Boolean)
		out.RequiredMaterials = append(out.RequiredMaterials, RequiredMaterial{
			Kind: astStr(member(m, k.kind)), Name: astStr(member(m, k.name)), NameEN: astStr(member(m, k.nameEN)), Required: bool(req),
		})
	}
	return out, nil
}

// member is o[key], nil when absent.
func member(o ast.Object, key *ast.Term) ast.Value {
	if t := o.Get(key); t != nil {
		return t.Value
	}
	return nil
}

func astStr(v ast.Value) string {
	s, _ := v.(ast.String)
	return string(s)
}

// interpret evaluates the decision with OPA's top-down interpreter.
func (e *Engine) interpret(ctx context.Context, v ast.Value) (map[string]any, error) {
	// Cancellation through context.AfterFunc rather than the goroutine OPA starts per query
	// otherwise; no metrics are kept per decision.
	cancel := topdown.NewCancel()
	stop := context.AfterFunc(ctx, cancel.Cancel)
	defer stop()
	rs, err := e.decision.Eval(ctx, rego.EvalParsedInput(v), rego.EvalExternalCancel(cancel), rego.EvalMetrics(metrics.NoOp()))
	if err != nil {
		return nil, fmt.Errorf("policies: evaluate: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, errors.New("policies: decision is undefined")
	}
	doc, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return nil, errors.New("policies: decision is not an object")
	}
	return doc, nil
}

func outcomeFrom(doc map[string]any) (Outcome, error) {
	var out Outcome
	vs, _ := doc["violations"].([]any)
	out.Violations = make([]Violation, 0, len(vs))
	for _, raw := range vs {
		m, ok := raw.(map[string]any)
		if !ok {
			return Outcome{}, errors.New("policies: violation is not an object")
		}
		v := Violation{
			Code:      str(m["code"]),
			Severity:  str(m["severity"]),
			Message:   str(m["message"]),
			MessageEN: str(m["message_en"]),
			Basis:     str(m["basis"]),
			Fix:       str(m["fix"]),
			Field:     str(m["field"]),
			Material:  str(m["material"]),
		}
		v.Params, _ = m["params"].(map[string]any)
		if v.Params == nil {
			v.Params = map[string]any{}
		}
		if v.Code == "" || (v.Severity != "error" && v.Severity != "warning") {
			return Outcome{}, fmt.Errorf("policies: malformed violation %v", m)
		}
		out.Violations = append(out.Violations, v)
	}
	SortViolations(out.Violations)
	ms, _ := doc["required_materials"].([]any)
	out.RequiredMaterials = make([]RequiredMaterial, 0, len(ms))
	for _, raw := range ms {
		m, ok := raw.(map[string]any)
		if !ok {
			return Outcome{}, errors.New("policies: required material is not an object")
		}
		req, _ := m["required"].(bool)
		out.RequiredMaterials = append(out.RequiredMaterials, RequiredMaterial{
			Kind: str(m["kind"]), Name: str(m["name"]), NameEN: str(m["name_en"]), Required: req,
		})
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// SortViolations orders violations by code, then material, then field, as the API promises.
func SortViolations(vs []Violation) {
	sort.Slice(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Material != b.Material {
			return a.Material < b.Material
		}
		return a.Field < b.Field
	})
}
