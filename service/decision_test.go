package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

var update = flag.Bool("update", false, "rewrite the golden decisions in testdata/golden")

func newService(t testing.TB) service.Service {
	t.Helper()
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := service.NewRules(book)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Rules: rules, Store: service.Offline{},
		Now: func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, service.ChinaTime) }})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func readApplication(t testing.TB, path string) service.Application {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var app service.Application
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&app); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return app
}

var revisionRE = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

// TestGoldenDecisions runs every application fixture through the rulebook and compares the
// whole decision with its golden file (go test ./service -run Golden -update rewrites them).
func TestGoldenDecisions(t *testing.T) {
	svc := newService(t)
	files, err := filepath.Glob("../samples/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			d, err := svc.Precheck(context.Background(), readApplication(t, f))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			// The revision changes with every policy edit; the golden files pin behaviour.
			got = revisionRE.ReplaceAll(append(got, '\n'), []byte("sha256:REVISION"))
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decision differs from %s (run with -update after checking):\n%s", golden, got)
			}
		})
	}
}

func TestPrecheckDefaultsAsOfToToday(t *testing.T) {
	svc := newService(t)
	app := readApplication(t, "../samples/qualification_renewal_pass.json")
	app.AsOf = ""
	d, err := svc.Precheck(context.Background(), app)
	if err != nil {
		t.Fatal(err)
	}
	if d.AsOf != "2026-11-23" {
		t.Errorf("as_of = %s, want the service clock's date in China, 2026-11-23", d.AsOf)
	}
}

func TestPrecheckRefusesBadInput(t *testing.T) {
	svc := newService(t)
	for _, tc := range []struct {
		app  service.Application
		code string
	}{
		{service.Application{}, service.CodeUnknownItem},
		{service.Application{Item: "boat_licence"}, service.CodeUnknownItem},
		{service.Application{Item: "qualification_renewal", AsOf: "2026-02-30"}, service.CodeInvalidField},
	} {
		_, err := svc.Precheck(context.Background(), tc.app)
		if e := service.AsError(err); e.Code != tc.code {
			t.Errorf("%+v: got %v, want %s", tc.app, err, tc.code)
		}
	}
}

func BenchmarkPrecheck(b *testing.B) {
	svc := newService(b)
	files, _ := filepath.Glob("../samples/*.json")
	var apps []service.Application
	for _, f := range files {
		apps = append(apps, readApplication(b, f))
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := svc.Precheck(ctx, apps[i%len(apps)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseApplication is the input contract's cost on the HTTP path: strict JSON, the
// item's schema, the struct.
func BenchmarkParseApplication(b *testing.B) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob("../samples/*.json")
	var docs [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, raw)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := service.ParseApplicationDocument(book, docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}
