package policies

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// conditionalSections are the sections whose schema is a reference or a record given whole
// (recordOrReference): an if/then/else whose branches require properties of the section.
var conditionalSections = []string{SectionQualification, SectionVehicle}

func builtinContract(t *testing.T) *Contract {
	t.Helper()
	e, err := Load(context.Background(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return e.Contract()
}

// withoutBranchProperties compiles an item's published schema as it was before requiring():
// its then/else branches carrying only their required lists.
func withoutBranchProperties(t *testing.T, c *Contract, item string) *jsonschema.Schema {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(c.Schema(item), &doc); err != nil {
		t.Fatal(err)
	}
	for _, sec := range conditionalSections {
		s := doc["properties"].(map[string]any)[sec].(map[string]any)
		for _, branch := range []string{"then", "else"} {
			delete(s[branch].(map[string]any), "properties")
		}
	}
	sch, _, err := compileSchema("https://roadcheck.invalid/old/"+item, doc)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestBranchPropertiesNameTheRequired: each branch of a reference-or-record names exactly its
// required properties, each as true (any value), so that a linter finds every required name
// defined and the branch accepts what its required list alone accepts.
func TestBranchPropertiesNameTheRequired(t *testing.T) {
	c := builtinContract(t)
	for item := range c.raw {
		var doc struct {
			Properties map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
				Then, Else struct {
					Required   []string                   `json:"required"`
					Properties map[string]json.RawMessage `json:"properties"`
				}
			} `json:"properties"`
		}
		if err := json.Unmarshal(c.Schema(item), &doc); err != nil {
			t.Fatal(err)
		}
		for _, sec := range conditionalSections {
			s := doc.Properties[sec]
			for name, b := range map[string]struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			}{"then": s.Then, "else": s.Else} {
				var names []string
				for n, v := range b.Properties {
					names = append(names, n)
					if string(v) != "true" {
						t.Errorf("%s %s.%s.properties.%s = %s, want true", item, sec, name, n, v)
					}
					if s.Properties[n] == nil {
						t.Errorf("%s %s.%s names %s, which the section does not declare", item, sec, name, n)
					}
				}
				sort.Strings(names)
				if len(b.Required) == 0 || !slices.Equal(names, b.Required) {
					t.Errorf("%s %s.%s: properties %v, required %v", item, sec, name, names, b.Required)
				}
			}
		}
	}
}

// TestBranchPropertiesChangeNothing: on every application fixture and on variants of its
// qualification and vehicle (empty, the key alone, one other fact alone, the key and one other
// fact, the record less each fact, with an unknown fact, a blank key), the item's schema gives
// exactly the errors the schema without the branches' properties gives, and the variants are
// refused in both branches.
func TestBranchPropertiesChangeNothing(t *testing.T) {
	c := builtinContract(t)
	fixtures, _ := filepath.Glob("../samples/*.json")
	if len(fixtures) == 0 {
		t.Fatal("no application fixtures in samples")
	}
	old := map[string]*jsonschema.Schema{}
	var compared int
	refused := map[string]bool{} // "then" / "else": a variant refused for a missing fact in that branch
	for _, path := range fixtures {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var base map[string]any
		if err := json.Unmarshal(raw, &base); err != nil {
			t.Fatal(err)
		}
		item, _ := base["item"].(string)
		if c.Schema(item) == nil {
			t.Fatalf("%s: unknown item %q", path, item)
		}
		if old[item] == nil {
			old[item] = withoutBranchProperties(t, c, item)
		}
		for _, v := range variants(t, c, base) {
			got := c.Check(item, v.doc)
			want := c.explain(old[item].Validate(v.doc), "")
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: errors %+v, without the branches' properties %+v", filepath.Base(path), v.name, got, want)
			}
			for _, fe := range got {
				if fe.Problem == "missing" && strings.Contains(fe.Field, ".") {
					refused[v.branch] = true
				}
			}
			compared++
		}
	}
	if !refused["then"] || !refused["else"] {
		t.Errorf("no variant was refused for a missing fact in each branch: %v", refused)
	}
	t.Logf("%d documents judged the same by both schemas", compared)
}

type variant struct {
	name, branch string // branch: the one a document this size takes (then: at most one property)
	doc          map[string]any
}

func variants(t *testing.T, c *Contract, base map[string]any) []variant {
	out := []variant{{name: "as given", doc: base}}
	for _, sec := range conditionalSections {
		rec, ok := base[sec].(map[string]any)
		if !ok {
			continue
		}
		key := keyOf(c.data.Sections[sec])
		with := func(name string, r map[string]any) {
			doc := copyDoc(t, base)
			doc[sec] = r
			branch := "else"
			if len(r) <= 1 {
				branch = "then"
			}
			out = append(out, variant{name: sec + " " + name, branch: branch, doc: doc})
		}
		with("empty", map[string]any{})
		with("key blank", map[string]any{key: ""})
		if k, ok := rec[key]; ok {
			with("key alone", map[string]any{key: k})
		}
		with("with an unknown fact", merge(rec, map[string]any{"x_unknown": true}))
		for f, v := range rec {
			if f == key {
				continue
			}
			with(f+" alone", map[string]any{f: v})
			if k, ok := rec[key]; ok {
				with("key and "+f, map[string]any{key: k, f: v})
			}
			less := merge(rec, nil)
			delete(less, f)
			with("less "+f, less)
		}
		less := merge(rec, nil)
		delete(less, key)
		with("less "+key, less)
	}
	return out
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func copyDoc(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConditionallyRequiredStillRefused: a reference without its key, and a record given whole
// without a fact its rules use, are refused naming the missing field.
func TestConditionallyRequiredStillRefused(t *testing.T) {
	c := builtinContract(t)
	raw, err := os.ReadFile("../samples/transport_cert_renewal_pass.json")
	if err != nil {
		t.Fatal(err)
	}
	var base map[string]any
	if err := json.Unmarshal(raw, &base); err != nil {
		t.Fatal(err)
	}
	if errs := c.Check("transport_cert_renewal", base); len(errs) != 0 {
		t.Fatalf("the fixture is refused: %+v", errs)
	}
	vehicle := base[SectionVehicle].(map[string]any)
	for _, tc := range []struct {
		name    string
		vehicle map[string]any
		field   string
	}{
		{"a reference without its key (then)", map[string]any{"cert_expires": "2027-01-09"}, "vehicle.plate"},
		{"nothing at all (then)", map[string]any{}, "vehicle.plate"},
		{"a whole record without its expiry (else)", merge(vehicle, map[string]any{"cert_expires": nil}), "vehicle.cert_expires"},
		{"the key and one fact (else)", map[string]any{"plate": vehicle["plate"], "cert_status": "valid"}, "vehicle.cert_expires"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := copyDoc(t, base)
			v := merge(tc.vehicle, nil)
			for k, x := range v {
				if x == nil {
					delete(v, k)
				}
			}
			doc[SectionVehicle] = v
			errs := c.Check("transport_cert_renewal", doc)
			i := slices.IndexFunc(errs, func(fe FieldError) bool { return fe.Field == tc.field })
			if i < 0 || errs[i].Problem != "missing" || !strings.Contains(errs[i].MessageEN, "required") {
				t.Errorf("errors %+v, want %s missing", errs, tc.field)
			}
		})
	}
}
