package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// malformedValues are values no rule can read, per declared type: wrong JSON types, null,
// impossible or badly written dates, fractions, negative and out-of-bound numbers.
func malformedValues(f policies.FieldSpec) []any {
	common := []any{nil, map[string]any{}, []any{}}
	switch f.Type {
	case "date":
		return append(common, "not-a-date", "", "2026-13-45", "2026-02-30", "2025-02-29", "2026-1-05",
			"2026-12-01T00:00:00Z", " 2026-12-01", "20261201", 20261201.0, true)
	case "integer":
		return append(common, "12", -1.0, 1.5, *f.Maximum+1, true)
	case "number":
		return append(common, "18000", -1.0, *f.Maximum*10, true)
	case "boolean":
		return append(common, "true", "yes", 1.0, 0.0)
	case "string":
		return append(common, 123.0, true, strings.Repeat("长", f.MaxLength+1))
	case "string_list":
		long := make([]any, f.MaxItems+1)
		for i := range long {
			long[i] = "freight_driver"
		}
		return append(common[:2], "freight_driver", []any{1.0}, []any{nil}, long)
	case "object": // an empty object is well typed (what it lacks is the contract's business)
		return []any{nil, []any{}, "read", 1.0, true}
	}
	panic("no malformed values for type " + f.Type)
}

func readDoc(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func deepCopy(t *testing.T, v map[string]any) map[string]any {
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

// TestMalformedNeverPasses is the fail-closed property: for every item, every declared field
// of every section, and every malformed value of its type, (1) the contract refuses the
// document naming that field, and (2) the rulebook alone (as a stored document or any other
// path that skips the contract would reach it) never passes it.
func TestMalformedNeverPasses(t *testing.T) {
	ctx := context.Background()
	book, err := policies.Load(ctx, policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]map[string]policies.FieldSpec
	if err := json.Unmarshal(book.Contract().Fields(), &fields); err != nil {
		t.Fatal(err)
	}
	fixtures, _ := filepath.Glob("../samples/*_pass.json")
	if len(fixtures) != 9 {
		t.Fatalf("want one passing fixture per item, found %d", len(fixtures))
	}
	below := nestedSections(fields)
	var runs, passed, accepted int
	for _, fx := range fixtures {
		base := readDoc(t, fx)
		item := base["item"].(string)
		if out, err := book.Evaluate(ctx, base); err != nil || hasError(out) {
			t.Fatalf("%s: the base fixture does not pass: %v %+v", item, err, out.Violations)
		}
		for sec, specs := range fields {
			for name, spec := range specs {
				if sec == policies.SectionApplication && name == "item" {
					continue // an unreadable item is UNKNOWN_ITEM before anything else
				}
				for _, bad := range malformedValues(spec) {
					doc := deepCopy(t, base)
					var path string
					if at, ok := below[sec]; ok {
						path = setBelow(doc, at, name, bad)
					} else {
						path = set(doc, sec, name, bad)
					}
					runs++
					out, err := book.Evaluate(ctx, doc)
					if err != nil {
						t.Fatalf("%s %s=%#v: evaluation error %v", item, path, bad, err)
					}
					if !hasError(out) {
						passed++
						t.Errorf("%s: %s = %#v passes the rulebook", item, path, bad)
					}
					raw, _ := json.Marshal(doc)
					_, perr := service.ParseApplicationDocument(book, raw)
					if e := service.AsError(perr); perr == nil || e.Code != service.CodeInvalidField || !names(e, path) {
						accepted++
						t.Errorf("%s: %s = %#v: contract gave %v, want INVALID_FIELD on %s", item, path, bad, perr, path)
					}
				}
			}
		}
	}
	t.Logf("%d malformed-field mutations over 9 items: %d passed the rulebook, %d passed the contract", runs, passed, accepted)
	if runs < 2000 {
		t.Errorf("only %d mutations ran", runs)
	}
}

// nestedSections maps each section that declares an object's fields (content, content_field,
// …) to the path of keys from a material down to such an object.
func nestedSections(fields map[string]map[string]policies.FieldSpec) map[string][]string {
	out := map[string][]string{}
	var walk func(sec string, at []string)
	walk = func(sec string, at []string) {
		names := make([]string, 0, len(fields[sec]))
		for name := range fields[sec] {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if f := fields[sec][name]; f.Type == "object" {
				if _, seen := out[f.Section]; !seen {
					out[f.Section] = append(slices.Clone(at), name)
					walk(f.Section, out[f.Section])
				}
			}
		}
	}
	walk(policies.SectionMaterial, nil)
	return out
}

// setBelow puts a value at name inside the object at path at of the first material, creating
// the objects on the way, and returns the field's path.
func setBelow(doc map[string]any, at []string, name string, v any) string {
	obj := doc["materials"].([]any)[0].(map[string]any)
	for _, k := range at {
		next, ok := obj[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[k] = next
		}
		obj = next
	}
	obj[name] = v
	return "materials[0]." + strings.Join(append(slices.Clone(at), name), ".")
}

// set puts a value at section.name of the document (materials: the first material), creating
// the section when the fixture has none, and returns the field's path.
func set(doc map[string]any, sec, name string, v any) string {
	switch sec {
	case policies.SectionApplication:
		doc[name] = v
		return name
	case policies.SectionMaterial:
		ms := doc["materials"].([]any)
		ms[0].(map[string]any)[name] = v
		return "materials[0]." + name
	}
	obj, ok := doc[sec].(map[string]any)
	if !ok {
		obj = map[string]any{}
		doc[sec] = obj
	}
	obj[name] = v
	return sec + "." + name
}

func names(e *service.Error, path string) bool {
	if e.Field == path || strings.HasPrefix(e.Field, path+"[") {
		return true
	}
	return slices.ContainsFunc(e.Details, func(d policies.FieldError) bool {
		return d.Field == path || strings.HasPrefix(d.Field, path+"[")
	})
}

func hasError(out policies.Outcome) bool {
	return slices.ContainsFunc(out.Violations, func(v policies.Violation) bool { return v.Severity == "error" })
}

// FuzzImportRegistry feeds untrusted JSON lines to the registry import: every line is refused
// with a stable code and its line number, or is a well-formed record that reaches the store
// (the offline store refuses writes, which stops the import as a store failure does).
func FuzzImportRegistry(f *testing.F) {
	f.Add([]byte(`{"number":"Q1","holder_id_number":"410105198005170018","categories":["freight_driver"],"first_issued":"2020-12-01","expires":"2026-12-01","status":"valid","info_changed":false}`))
	f.Add([]byte("{\"number\":\"Q2\",\"expires\":\"2026-13-01\"}\n\nnot json\n{\"number\":\"Q3\",\"number\":\"Q4\"}"))
	f.Add([]byte(`{"plate":"豫A1","gross_mass_kg":-1}`))
	svc := newService(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, kind := range []service.RegistryKind{service.RegistryQualifications, service.RegistryVehicles} {
			rep, err := svc.ImportRegistry(context.Background(), kind, strings.NewReader(string(body)))
			if err != nil {
				if c := service.AsError(err).Code; c != service.CodeStoreUnavailable && c != service.CodeInvalidField {
					t.Fatalf("%s: unexpected error %v", kind, err)
				}
				continue
			}
			if rep.Upserted != 0 || rep.Failed != rep.Lines {
				t.Fatalf("%s: offline import %+v", kind, rep)
			}
			for _, e := range rep.Errors {
				if e.Line < 1 || (e.Code != service.CodeInvalidJSON && e.Code != service.CodeInvalidField) || e.Message == "" || e.MessageEN == "" {
					t.Fatalf("%s: bad error entry %+v", kind, e)
				}
			}
		}
	})
}

// TestNewFormFieldIsADataEdit: declaring a form field in fields.json and listing it in an
// item's form_fields is all it takes for the service to accept it, check its type, and for the
// rulebook's form rules to require it.
func TestNewFormFieldIsADataEdit(t *testing.T) {
	fsys := builtinWith(t, func(p string, b []byte) []byte {
		switch p {
		case "data/fields.json":
			b = []byte(strings.Replace(string(b), `"form": {`, `"form": {"night_delivery": {"type": "boolean", "label": "夜间配送"},`, 1))
		case "data/items.json":
			b = []byte(strings.Replace(string(b), `"form_fields": [
        {
          "name": "delivery",`, `"form_fields": [
        {"name": "night_delivery", "label": "夜间配送", "required": true},
        {
          "name": "delivery",`, 1))
		}
		return b
	})
	book, err := policies.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile("../samples/qualification_renewal_pass.json")
	if err != nil {
		t.Fatal(err)
	}
	with := strings.Replace(string(base), `"delivery": "pickup"`, `"delivery": "pickup", "night_delivery": true`, 1)
	if with == string(base) {
		t.Fatal("fixture changed: no delivery to extend")
	}
	app, err := service.ParseApplicationDocument(book, []byte(with))
	if err != nil || app.Form["night_delivery"] != true {
		t.Fatalf("the new field: %v %v", err, app.Form)
	}
	bad := strings.Replace(with, `"night_delivery": true`, `"night_delivery": "yes"`, 1)
	if _, err := service.ParseApplicationDocument(book, []byte(bad)); service.AsError(err).Field != "form.night_delivery" {
		t.Errorf("a malformed new field: %v", err)
	}
	raw, _ := os.ReadFile("../samples/qualification_renewal_pass.json")
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	out, err := book.Evaluate(context.Background(), doc)
	if err != nil || !slices.ContainsFunc(out.Violations, func(v policies.Violation) bool {
		return v.Code == "FIELD_REQUIRED" && v.Field == "form.night_delivery"
	}) {
		t.Errorf("the rules do not require the new field: %v %+v", err, out.Violations)
	}
}

// TestReplayChecksTheContract: a stored document the candidate's contract refuses is reported
// as a change with the field at fault, never evaluated as if it could be read.
func TestReplayChecksTheContract(t *testing.T) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	app := readApplication(t, "../samples/qualification_renewal_pass.json")
	bad := app
	q := *app.Qualification
	q.Expires = "2026-13-45"
	bad.Qualification = &q
	subs := []service.Submission{
		{ID: "a_good", Item: app.Item, Decision: service.Decision{AsOf: app.AsOf, Pass: true}, Input: app},
		{ID: "a_bad", Item: bad.Item, Decision: service.Decision{AsOf: app.AsOf, Pass: true}, Input: bad},
	}
	rep, err := service.Replay(context.Background(), book, func(f func(service.Submission) error) error {
		for _, s := range subs {
			if err := f(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || rep.Evaluated != 2 || rep.Changed != 1 || rep.Changes[0].Application != "a_bad" ||
		!strings.Contains(rep.Changes[0].Error, "INVALID_FIELD qualification.expires") {
		t.Errorf("replay = %+v, %v", rep, err)
	}
}

// replaySubmissions is n stored submissions of the passing renewal fixture; every third is
// stored as failed, so a replay reports exactly those as changed.
func replaySubmissions(t testing.TB, n int) []service.Submission {
	app := readApplication(t, "../samples/qualification_renewal_pass.json")
	subs := make([]service.Submission, n)
	for i := range subs {
		subs[i] = service.Submission{ID: fmt.Sprintf("a_%04d", i), Item: app.Item,
			Decision: service.Decision{AsOf: app.AsOf, Pass: i%3 != 0}, Input: app}
	}
	return subs
}

func replayAll(subs []service.Submission) func(func(service.Submission) error) error {
	return func(f func(service.Submission) error) error {
		for _, s := range subs {
			if err := f(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestReplayReportsOldestFirst: the evaluations run concurrently and the store gives the
// applications in an order of its own; the report lists the changes oldest submission first,
// then by id.
func TestReplayReportsOldestFirst(t *testing.T) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	subs := replaySubmissions(t, 90)
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := range subs {
		// Newest first by id, and a_0003 submitted at the same moment as a_0000.
		subs[i].SubmittedAt = base.Add(time.Duration(90-i) * time.Minute)
	}
	subs[3].SubmittedAt = subs[0].SubmittedAt
	shuffled := slices.Clone(subs)
	rand.New(rand.NewPCG(3, 90)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	rep, err := service.Replay(context.Background(), book, replayAll(shuffled))
	if err != nil || rep.Evaluated != 90 || rep.Changed != 30 || rep.PerSecond <= 0 {
		t.Fatalf("replay = evaluated %d changed %d per second %.0f, %v", rep.Evaluated, rep.Changed, rep.PerSecond, err)
	}
	var want []string
	for i := 87; i >= 6; i -= 3 {
		want = append(want, fmt.Sprintf("a_%04d", i))
	}
	want = append(want, "a_0000", "a_0003")
	var got []string
	for _, ch := range rep.Changes {
		got = append(got, ch.Application)
		if ch.PassBefore || !ch.PassAfter {
			t.Errorf("change %+v, want failed → passed", ch)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("changes in the order\n %v\nwant\n %v", got, want)
	}
	// A store that fails half-way fails the replay.
	failing := func(f func(service.Submission) error) error {
		_ = f(subs[0])
		return errors.New("cursor lost")
	}
	if _, err := service.Replay(context.Background(), book, failing); err == nil || err.Error() != "cursor lost" {
		t.Errorf("a failing store: %v", err)
	}
}

// BenchmarkReplay reports applications replayed a second (the renewal fixture, built-in rulebook).
func BenchmarkReplay(b *testing.B) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	subs := replaySubmissions(b, 200)
	b.ResetTimer()
	var rate float64
	for b.Loop() {
		rep, err := service.Replay(context.Background(), book, replayAll(subs))
		if err != nil {
			b.Fatal(err)
		}
		rate += rep.PerSecond
	}
	b.ReportMetric(rate/float64(b.N), "applications/s")
}
