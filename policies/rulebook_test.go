package policies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The rulebook's own discipline, checked on every build: each deny rule carries the METADATA
// that the violation builder reads, cites a known basis, and uses a code from the catalogue in
// docs/domain.md (the public contract portals switch on).

var catalogueCode = regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|")

// domainCodes reads the violation codes of docs/domain.md §3.
func domainCodes(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../docs/domain.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(b)
	if i := strings.Index(section, "## 3. Violation codes"); i >= 0 {
		section = section[i:]
	}
	if i := strings.Index(section, "## 4."); i >= 0 {
		section = section[:i]
	}
	codes := map[string]bool{}
	for _, m := range catalogueCode.FindAllStringSubmatch(section, -1) {
		codes[m[1]] = true
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d codes in docs/domain.md §3; has its table format changed?", len(codes))
	}
	return codes
}

type denyRule struct {
	location string
	file     string // path in the rulebook, e.g. rules/form.rego
	text     string // the rule's source
	title    string
	custom   map[string]any
}

func denyRules(t *testing.T) []denyRule {
	t.Helper()
	var modules []*ast.Module
	err := fs.WalkDir(Builtin(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(Builtin(), p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		modules = append(modules, m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	set, errs := ast.BuildAnnotationSet(modules)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var rules []denyRule
	for _, m := range modules {
		for _, r := range m.Rules {
			if r.Head.Name.String() != "deny" && r.Head.Ref().String() != "deny" {
				continue
			}
			dr := denyRule{location: r.Location.String(), file: r.Location.File, text: string(r.Location.Text)}
			for _, a := range set.GetRuleScope(r) {
				dr.title = a.Title
				dr.custom = a.Custom
			}
			rules = append(rules, dr)
		}
	}
	if len(rules) == 0 {
		t.Fatal("no deny rules found")
	}
	return rules
}

func citations(t *testing.T) map[string]any {
	t.Helper()
	b, err := fs.ReadFile(Builtin(), "data/citations.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Citations map[string]any `json:"citations"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Citations
}

func TestDenyRulesHaveMetadata(t *testing.T) {
	codes := domainCodes(t)
	cites := citations(t)
	byCode := map[string][]denyRule{}
	for _, r := range denyRules(t) {
		if r.title == "" {
			t.Errorf("%s: deny rule without a METADATA title", r.location)
		}
		for _, key := range []string{"code", "severity", "basis", "fix", "message_en"} {
			if s, _ := r.custom[key].(string); s == "" {
				t.Errorf("%s: deny rule METADATA lacks custom.%s", r.location, key)
			}
		}
		code, _ := r.custom["code"].(string)
		if code != "" && !codes[code] {
			t.Errorf("%s: code %s is not in the catalogue of docs/domain.md", r.location, code)
		}
		if sev, _ := r.custom["severity"].(string); sev != "" && sev != "error" && sev != "warning" {
			t.Errorf("%s: severity %q is not error or warning", r.location, sev)
		}
		if basis, _ := r.custom["basis"].(string); basis != "" {
			if _, ok := cites[basis]; !ok && basis != "item" { // "item": the item's own regulation
				t.Errorf("%s: basis %q is not a key of data/citations.json", r.location, basis)
			}
		}
		byCode[code] = append(byCode[code], r)
	}
	for code, rules := range byCode {
		if len(rules) < 2 {
			continue
		}
		for _, r := range rules {
			if s, _ := r.custom["shares_code"].(string); s == "" {
				t.Errorf("%s: code %s is used by %d rules; say why in custom.shares_code", r.location, code, len(rules))
			}
		}
	}
}

// TestEveryCatalogueCodeHasARule keeps docs/domain.md and the rulebook in step the other way.
func TestEveryCatalogueCodeHasARule(t *testing.T) {
	have := map[string]bool{}
	for _, r := range denyRules(t) {
		code, _ := r.custom["code"].(string)
		have[code] = true
	}
	var missing []string
	for code := range domainCodes(t) {
		if !have[code] {
			missing = append(missing, code)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("codes of docs/domain.md with no deny rule: %v", missing)
	}
}

// TestNoClockInPolicies: decisions are reproducible only if every date comes from the input
// (as_of); no rule may read the clock, nor any other non-deterministic builtin.
func TestNoClockInPolicies(t *testing.T) {
	err := fs.WalkDir(Builtin(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := fs.ReadFile(Builtin(), p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		check := func(op fmt.Stringer, loc *ast.Location) {
			name := op.String()
			if b, ok := ast.BuiltinMap[name]; ok && (b.Nondeterministic || b == ast.NowNanos) {
				t.Errorf("%s: %v calls %s: take dates from the input's as_of", p, loc, name)
			}
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if e.IsCall() {
				check(e.Operator(), e.Location)
			}
			return false
		})
		ast.WalkTerms(m, func(term *ast.Term) bool {
			if call, ok := term.Value.(ast.Call); ok && len(call) > 0 {
				check(call[0].Value, term.Location)
			}
			return false
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
