package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// regoInputJSON is how regoInput worked before it walked the values: a JSON round trip. It
// stays as the reference the walk must agree with.
func regoInputJSON(a Application) (map[string]any, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// documentJSON is how checkContract read an application before the walk: its JSON, decoded
// by the validator's own reader (numbers as json.Number).
func documentJSON(a Application) (any, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

type plateText string

func (p plateText) MarshalText() ([]byte, error) { return []byte("plate:" + string(p)), nil }

type withOwnJSON struct{ n int }

func (w withOwnJSON) MarshalJSON() ([]byte, error) { return json.Marshal(map[string]int{"n": w.n}) }

func sampleApplications(t testing.TB) []Application {
	t.Helper()
	files, _ := filepath.Glob("../samples/*.json")
	var apps []Application
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var app Application
		if err := json.Unmarshal(raw, &app); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		apps = append(apps, app)
	}
	if len(apps) < 20 {
		t.Fatalf("%d samples", len(apps))
	}
	return apps
}

// TestRegoInputIsTheJSONRoundTrip: on every sample, on seeded random applications filling every
// declared field, and on form values of every Go type a Go caller might put there, the walk
// gives exactly what the JSON round trip gives, and refuses what it refuses; with numbers as
// text it gives what the contract's validator read from the JSON (the same number text).
func TestRegoInputIsTheJSONRoundTrip(t *testing.T) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	var sections map[string]map[string]policies.FieldSpec
	if err := json.Unmarshal(book.Contract().Fields(), &sections); err != nil {
		t.Fatal(err)
	}
	apps := sampleApplications(t)
	rng := rand.New(rand.NewPCG(9, 2026))
	for range 500 {
		apps = append(apps, randomApplication(rng, sections, apps[rng.IntN(len(apps))]))
	}
	yes, zero, mass := true, 0, 0.0
	odd := []Form{
		{"n": 3, "i8": int8(-4), "u": uint64(1 << 63), "big": int64(1<<53 + 1), "f32": float32(0.1), "neg0": math.Copysign(0, -1)},
		{"bytes": []byte("证件"), "strs": []string{"a", ""}, "empty": []string{}, "nilslice": []string(nil), "nilmap": map[string]any(nil)},
		{"bad": "\xff\xfe 张", "html": "<a href='x'>&</a>", "sep": "\u2028", "when": time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)},
		{"num": json.Number("12.50"), "text": plateText("豫A"), "own": withOwnJSON{7}, "ints": map[string]int{"a": 1}},
		{"keys": map[plateText]int{"k": 1}, "arr": [2]int{1, 2}, "nested": []any{nil, true, map[string]any{"x": []any{1.5}}}},
		{"ptr": &yes, "zero": &zero, "nilptr": (*int)(nil), "iface": any(nil)},
	}
	for _, f := range odd {
		apps = append(apps, Application{Item: "qualification_change", Form: f,
			Vehicle:   &Vehicle{Plate: "豫A12345", GrossMassKg: &mass},
			Materials: []Material{{Kind: "id_card", Width: &zero, Content: &Content{Status: "read", Fields: map[string]ContentField{"name": {Value: ""}}}}, {}}})
	}
	apps = append(apps, Application{}, Application{Materials: []Material{}})
	floats := Form{}
	for i, f := range []float64{0, 1, -1, 0.1, 0.3, 1e-6, 9.99e-7, 1e-7, -1e-7, 1e20, 1e21, -1e21, 123456789.125, 5e-324, math.MaxFloat64, 1 << 53, 1<<53 + 2} {
		floats[fmt.Sprint(i)] = f
		if r := f * (1 + rng.Float64()); !math.IsInf(r, 0) {
			floats[fmt.Sprint("r", i)] = r
		}
	}
	apps = append(apps, Application{Item: "qualification_change", Form: floats})
	for i := range 2000 {
		if f := math.Float64frombits(rng.Uint64()); !math.IsNaN(f) && !math.IsInf(f, 0) {
			floats[fmt.Sprint("x", i)] = f
		}
	}
	apps = append(apps, Application{Item: "qualification_change", Form: floats})
	if _, err := documentJSON(apps[len(apps)-1]); err != nil {
		t.Fatalf("the numbers' case must be valid JSON: %v", err)
	}
	sh := newInputShaper()
	for i, app := range apps {
		want, wantErr := regoInputJSON(app)
		got, gotErr := sh.input(app)
		if cold, err := (&inputShaper{}).input(app); !reflect.DeepEqual(cold, got) || (err != nil) != (gotErr != nil) {
			t.Fatalf("application %d: a shaper that knows no types gives %v (%v), the made one %v (%v)", i, cold, err, got, gotErr)
		}
		if (gotErr != nil) != (wantErr != nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("application %d: error %v, want %v", i, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Fatalf("application %d:\n got  %s\n want %s\n (%#v)", i, g, w, got)
		}
		wantDoc, wantErr := documentJSON(app)
		gotDoc, gotErr := sh.document(app)
		if (gotErr != nil) != (wantErr != nil) || gotErr == nil && !reflect.DeepEqual(any(gotDoc), wantDoc) {
			t.Fatalf("application %d as a document:\n got  %#v (%v)\n want %#v (%v)", i, gotDoc, gotErr, wantDoc, wantErr)
		}
	}
	cycle := map[string]any{}
	cycle["self"] = cycle
	deep := any("bottom")
	for range 300 {
		deep = []any{deep}
	}
	deepApp := Application{Item: "qualification_change", Form: Form{"deep": deep}}
	got, err := sh.input(deepApp)
	if want, wantErr := regoInputJSON(deepApp); err != nil || wantErr != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("300 levels deep: %v (%v), want %v (%v)", got, err, want, wantErr)
	}
	for _, f := range []Form{{"nan": math.NaN()}, {"inf": math.Inf(-1)}, {"c": complex(1, 2)}, {"ch": make(chan int)}, {"cycle": cycle}} {
		app := Application{Item: "qualification_change", Form: f}
		_, wantErr := regoInputJSON(app)
		if _, err := sh.input(app); err == nil || wantErr == nil || err.Error() != wantErr.Error() {
			t.Errorf("%v: error %v, want %v", f, err, wantErr)
		}
		if _, err := sh.document(app); err == nil || err.Error() != wantErr.Error() {
			t.Errorf("%v as a document: error %v, want %v", f, err, wantErr)
		}
	}
}

// FuzzRegoInput: any JSON that decodes into an Application gives the same rulebook input by the
// walk as by the round trip.
func FuzzRegoInput(f *testing.F) {
	for _, app := range sampleApplications(f) {
		b, _ := json.Marshal(app)
		f.Add(b)
	}
	f.Add([]byte(`{"item":"x","form":{"a":[1,{"b":null}],"c":"\ud800"},"materials":[{"kind":"k","width":0}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var app Application
		if json.Unmarshal(raw, &app) != nil {
			return
		}
		want, wantErr := regoInputJSON(app)
		got, err := newInputShaper().input(app)
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("got %v (%v), want %v (%v)", got, err, want, wantErr)
		}
		wantDoc, wantErr := documentJSON(app)
		gotDoc, err := newInputShaper().document(app)
		if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(any(gotDoc), wantDoc) {
			t.Fatalf("document %v (%v), want %v (%v)", gotDoc, err, wantDoc, wantErr)
		}
	})
}

// BenchmarkRegoInput: the walk against the JSON round trip it replaced, over the samples.
//
//	go test ./service -run '^$' -bench RegoInput
func BenchmarkRegoInput(b *testing.B) {
	apps := sampleApplications(b)
	for _, bc := range []struct {
		name string
		fn   func(Application) (map[string]any, error)
	}{{"walk", newInputShaper().input}, {"json", regoInputJSON}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := bc.fn(apps[i%len(apps)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
