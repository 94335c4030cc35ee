package service

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"github.com/roadcheck/roadcheck/policies"
)

// redactJSON is how redact worked before it walked the application's own values: through
// the application's JSON (marshal, walk the generic document, marshal, unmarshal). It stays
// here as the reference redact must agree with.
func redactJSON(t testing.TB, c *policies.Contract, app Application) Application {
	t.Helper()
	b, err := json.Marshal(app)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, sec := range []string{policies.SectionApplicant, policies.SectionQualification, policies.SectionVehicle, policies.SectionForm} {
		fields, _ := doc[sec].(map[string]any)
		redactJSONObject(c, sec, fields)
	}
	materials, _ := doc["materials"].([]any)
	for _, m := range materials {
		obj, _ := m.(map[string]any)
		redactJSONObject(c, policies.SectionMaterial, obj)
	}
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	var out Application
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func redactJSONObject(c *policies.Contract, sec string, fields map[string]any) {
	for name, v := range fields {
		spec, _ := c.Spec(sec, name)
		switch v := v.(type) {
		case string:
			if spec.Personal != "" {
				fields[name] = mask(spec.Personal, v)
			}
		case map[string]any:
			if spec.Type != "object" {
				continue
			}
			if s, ok := v["value"].(string); ok && spec.Personal != "" {
				v["value"] = mask(spec.Personal, s)
			}
			redactJSONObject(c, spec.Section, v)
		}
	}
}

// TestRedactIsTheJSONWalk: on every sample and on seeded random applications filling every
// field the contract declares (personal or not, empty strings included, objects read from
// documents, form objects), redact writes the same JSON as the walk of the application's JSON,
// and leaves the caller's application as it was.
func TestRedactIsTheJSONWalk(t *testing.T) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	c := book.Contract()
	var sections map[string]map[string]policies.FieldSpec
	if err := json.Unmarshal(c.Fields(), &sections); err != nil {
		t.Fatal(err)
	}
	apps := sampleApplications(t)
	rng := rand.New(rand.NewPCG(17, 2026))
	for range 500 {
		apps = append(apps, randomApplication(rng, sections, apps[rng.IntN(len(apps))]))
	}
	personal := 0
	for i, app := range apps {
		before, _ := json.Marshal(app)
		want, _ := json.Marshal(redactJSON(t, c, app))
		if after, _ := json.Marshal(app); string(after) != string(before) {
			t.Fatalf("application %d: the reference changed its input", i)
		}
		got, _ := json.Marshal(redact(c, app))
		if after, _ := json.Marshal(app); string(after) != string(before) {
			t.Fatalf("application %d: redact changed the caller's application\n before %s\n after  %s", i, before, after)
		}
		if string(got) != string(want) {
			t.Fatalf("application %d:\n got  %s\n want %s\n from %s", i, got, want, before)
		}
		if string(got) != string(before) {
			personal++
		}
	}
	if personal < len(apps)/2 {
		t.Errorf("only %d of %d applications had anything masked: the cases miss the personal fields", personal, len(apps))
	}
}

// randomApplication is base with random values in every string field of its sections, a form
// holding every declared form field, and materials whose content holds every declared field.
func randomApplication(rng *rand.Rand, sections map[string]map[string]policies.FieldSpec, base Application) Application {
	str := func() string {
		return []string{"", "410105198005170018", "张三丰", "13812345678", "豫A12345", "a@b.cn", "x", "郑州市金水路1号"}[rng.IntN(8)]
	}
	fillStrings := func(v reflect.Value) {
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.String && rng.IntN(4) > 0 {
				f.SetString(str())
			}
		}
	}
	app := base
	a, q, v := Applicant{}, Qualification{}, Vehicle{}
	fillStrings(reflect.ValueOf(&a).Elem())
	fillStrings(reflect.ValueOf(&q).Elem())
	fillStrings(reflect.ValueOf(&v).Elem())
	app.Applicant, app.Qualification, app.Vehicle = &a, &q, &v
	var object func(sec string, depth int) map[string]any
	object = func(sec string, depth int) map[string]any {
		out := map[string]any{}
		for name, spec := range sections[sec] {
			switch {
			case rng.IntN(5) == 0:
			case spec.Type == "object" && depth < 3:
				o := object(spec.Section, depth+1)
				if rng.IntN(2) == 0 {
					o["value"] = str()
				}
				out[name] = o
			case spec.Type == "integer" || spec.Type == "number":
				out[name] = float64(rng.IntN(100))
			default:
				out[name] = str()
			}
		}
		return out
	}
	app.Form = object(policies.SectionForm, 0)
	app.Materials = nil
	for _, m := range base.Materials {
		fields := map[string]ContentField{}
		for name := range sections["content_fields"] {
			fields[name] = ContentField{Value: str()}
		}
		m.Content = &Content{Status: ContentStatusRead, Kind: str(), Fields: fields}
		app.Materials = append(app.Materials, m)
	}
	return app
}

// BenchmarkRedact: redact against the JSON walk it replaced, on a renewal with read content.
//
//	go test ./service -run '^$' -bench Redact
func BenchmarkRedact(b *testing.B) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	c := book.Contract()
	raw, err := os.ReadFile("../samples/qualification_renewal_pass.json")
	if err != nil {
		b.Fatal(err)
	}
	var app Application
	if err := json.Unmarshal(raw, &app); err != nil {
		b.Fatal(err)
	}
	conf := 0.9
	app.Materials[0].Content = &Content{Status: ContentStatusRead, Kind: app.Materials[0].Kind, Confidence: &conf,
		Fields: map[string]ContentField{"id_number": {Value: "410105198005170018"}, "name": {Value: "张三"}}}
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = redact(c, app)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = redactJSON(b, c, app)
		}
	})
}
