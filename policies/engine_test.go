package policies

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// copyBuiltin writes the built-in rulebook to a directory, as policy staff would have it.
func copyBuiltin(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, Builtin()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRevisionIsTheSameFromADirectory(t *testing.T) {
	ctx := context.Background()
	builtin, err := Load(ctx, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	dir := copyBuiltin(t)
	fromDir, err := Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if builtin.Revision() != fromDir.Revision() {
		t.Errorf("revision %s (built-in) != %s (directory)", builtin.Revision(), fromDir.Revision())
	}
	// A one-byte edit of a parameter is a new revision.
	p := filepath.Join(dir, "data", "calendar.json")
	b, _ := os.ReadFile(p)
	if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	edited, err := Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if edited.Revision() == builtin.Revision() {
		t.Error("editing a data file did not change the revision")
	}
}

func TestLoadRefusesBrokenPolicies(t *testing.T) {
	ctx := context.Background()
	tests := map[string]fstest.MapFS{
		"empty":        {},
		"syntax error": {"decision.rego": {Data: []byte("package roadcheck\n\ndecision := {\n")}},
		"unsafe var":   {"decision.rego": {Data: []byte("package roadcheck\n\ndecision if x\n")}},
		"bad data":     {"data/items.json": {Data: []byte(`{"items": `)}, "decision.rego": {Data: []byte("package roadcheck\n\ndecision := {}\n")}},
		"no catalogue": {"data/items.json": {Data: []byte(`{"items": {}}`)}, "decision.rego": {Data: []byte("package roadcheck\n\ndecision := {}\n")}},
	}
	for name, fsys := range tests {
		if _, err := Load(ctx, fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestCatalogueListsTheNineItems(t *testing.T) {
	e, err := Load(context.Background(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"driver_integrity_assessment", "qualification_renewal", "qualification_reissue",
		"qualification_change", "qualification_cancellation", "freight_annual_review",
		"transport_cert_reissue", "transport_cert_renewal", "transport_cert_cancellation"}
	cat := string(e.Catalogue())
	last := -1
	for _, code := range want {
		if !e.HasItem(code) {
			t.Errorf("HasItem(%s) = false", code)
		}
		i := strings.Index(cat, `"code":"`+code+`"`)
		if i < 0 {
			t.Errorf("catalogue lacks %s", code)
			continue
		}
		if i < last {
			t.Errorf("catalogue lists %s out of the order of docs/domain.md", code)
		}
		last = i
	}
	if e.HasItem("boat_licence") {
		t.Error("HasItem(boat_licence) = true")
	}
}

func TestLoadTestedRunsTheRulebookTests(t *testing.T) {
	ctx := context.Background()
	if _, err := LoadTested(ctx, Builtin(), time.Minute); err != nil {
		t.Fatalf("the built-in rulebook fails its own tests: %v", err)
	}
	dir := copyBuiltin(t)
	p := filepath.Join(dir, "data", "windows.json")
	b, _ := os.ReadFile(p)
	// A data edit the boundary tests must catch.
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), `"renewal_opens_days_before_expiry": 30`, `"renewal_opens_days_before_expiry": 29`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadTested(ctx, os.DirFS(dir), time.Minute)
	var tf *TestFailure
	if !errors.As(err, &tf) || len(tf.Failed) == 0 || tf.Total < 100 {
		t.Fatalf("LoadTested with a changed window = %v, want failing tests", err)
	}
	// Without tests a candidate is refused: a change must come with its tests.
	noTests := fstest.MapFS{}
	_ = fs.WalkDir(Builtin(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, "_test.rego") {
			b, _ := fs.ReadFile(Builtin(), p)
			noTests[p] = &fstest.MapFile{Data: b}
		}
		return err
	})
	if _, err := LoadTested(ctx, noTests, time.Minute); err == nil {
		t.Error("a rulebook without tests was accepted")
	}
}

// TestBuiltinRevisionIsTheDirectorys: the binary's rulebook and the same files served with
// --policies policies are one revision (the embed once left decision_test.rego out).
func TestBuiltinRevisionIsTheDirectorys(t *testing.T) {
	ctx := context.Background()
	builtin, err := Load(ctx, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	dir, err := Load(ctx, os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	if builtin.Revision() != dir.Revision() {
		a, _ := policyFiles(Builtin())
		b, _ := policyFiles(os.DirFS("."))
		t.Errorf("built-in %s (%d files) != directory %s (%d files)", builtin.Revision(), len(a), dir.Revision(), len(b))
	}
}

// TestContractDataIsChecked: a form field an item uses must have a declared, bounded type.
func TestContractDataIsChecked(t *testing.T) {
	for name, edit := range map[string][2]string{
		"form field without a type": {`"name": "delivery",`, `"name": "delivery_method",`},
		"unbounded string":          {`"max_length": 512,`, ``},
		"unknown type":              {`"type": "boolean",`, `"type": "bool",`},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			err := fs.WalkDir(Builtin(), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := fs.ReadFile(Builtin(), p)
				if err != nil {
					return err
				}
				if p == "data/items.json" && name == "form field without a type" || p == "data/fields.json" && name != "form field without a type" {
					if !strings.Contains(string(b), edit[0]) {
						t.Fatalf("%s does not contain %q", p, edit[0])
					}
					b = []byte(strings.Replace(string(b), edit[0], edit[1], 1))
				}
				fsys[p] = &fstest.MapFile{Data: b}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Load(context.Background(), fsys); err == nil || !strings.Contains(err.Error(), "fields") {
				t.Errorf("Load = %v, want the contract data refused", err)
			}
		})
	}
}
