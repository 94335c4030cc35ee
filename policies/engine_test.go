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

// TestBuiltinIsThePolicyDirectory: the embedded rulebook and this directory read from disk (as
// serve --policies policies reads it) are the same files, so they have the same revision.
func TestBuiltinIsThePolicyDirectory(t *testing.T) {
	ctx := context.Background()
	embedded, err := policyFiles(Builtin())
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := policyFiles(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	names := func(files []policyFile) map[string]bool {
		m := map[string]bool{}
		for _, f := range files {
			m[f.name] = true
		}
		return m
	}
	inEmbed, inDir := names(embedded), names(onDisk)
	for name := range inDir {
		if !inEmbed[name] {
			t.Errorf("%s is in the policy directory but not embedded: add it to the //go:embed line of builtin.go", name)
		}
	}
	for name := range inEmbed {
		if !inDir[name] {
			t.Errorf("%s is embedded but not a rulebook file of the directory", name)
		}
	}
	builtin, err := Load(ctx, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	fromDir, err := Load(ctx, os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	if builtin.Revision() != fromDir.Revision() {
		t.Errorf("revision %s (built-in) != %s (os.DirFS of the policy directory)", builtin.Revision(), fromDir.Revision())
	}
}

func TestIsPolicyFile(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"decision.rego", true},
		{"decision_test.rego", true},
		{"rules/materials.rego", true},
		{"data/limits.json", true},
		{"builtin.go", false},
		{"engine_test.go", false},
		{"README.md", false},
		{"data/limits.yaml", false},
		{".#decision.rego", false},       // an editor's lock file
		{"rules/.materials.rego", false}, // hidden: go:embed skips it in a directory
		{"rules/_scratch.rego", false},   // likewise
		{".git/config.json", false},
		{"_old/decision.rego", false},
	} {
		if got := isPolicyFile(tt.name); got != tt.want {
			t.Errorf("isPolicyFile(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Files that are not the rulebook's change nothing, in a directory as in the embed.
func TestOtherFilesDoNotChangeTheRevision(t *testing.T) {
	ctx := context.Background()
	builtin, err := Load(ctx, Builtin())
	if err != nil {
		t.Fatal(err)
	}
	dir := copyBuiltin(t)
	for name, content := range map[string]string{
		"notes.md":            "# policy notes\n",
		"doc.go":              "package policies\n",
		"rules/_scratch.rego": "package scratch\n\nbroken := {\n",
		".hidden.json":        "{not json",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fromDir, err := Load(ctx, os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fromDir.Revision() != builtin.Revision() {
		t.Errorf("revision %s with other files, want %s", fromDir.Revision(), builtin.Revision())
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

func TestMaterialNames(t *testing.T) {
	e, err := Load(context.Background(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ kind, name string }{
		{"id_card", "居民身份证"},
		{"photo_2inch", "近期二寸正面免冠彩色证件照"},
		{"transport_cert", "道路运输证（主页和记录页）"},
		{"boat_photo", ""},
	} {
		if got := e.MaterialName(tt.kind); got != tt.name || e.HasMaterial(tt.kind) != (tt.name != "") {
			t.Errorf("MaterialName(%s) = %q, HasMaterial %v; want %q", tt.kind, got, e.HasMaterial(tt.kind), tt.name)
		}
	}
}

// The service's flags of the built-in data: which items issue a certificate, which are graded,
// which materials are ID photos.
func TestItemsAndIDPhotosOfTheData(t *testing.T) {
	e, err := Load(context.Background(), Builtin())
	if err != nil {
		t.Fatal(err)
	}
	issuing := map[string]CertificateSpec{}
	graded := map[string][]string{}
	for _, code := range e.ItemCodes() {
		it, ok := e.Item(code)
		if !ok || it.Code != code || it.Name == "" || it.Subject == "" {
			t.Errorf("Item(%s) = %+v, %v", code, it, ok)
		}
		if it.Certificate != nil {
			issuing[code] = *it.Certificate
		}
		if len(it.Grades) > 0 {
			graded[code] = it.Grades
		}
	}
	if len(e.ItemCodes()) != 9 || len(issuing) != 2 ||
		issuing["driver_integrity_assessment"] != (CertificateSpec{Type: "integrity_assessment", Validity: "assessment_cycle"}) ||
		issuing["freight_annual_review"] != (CertificateSpec{Type: "annual_review", Validity: "one_year"}) {
		t.Errorf("items %v issue %v", e.ItemCodes(), issuing)
	}
	if len(graded) != 1 || strings.Join(graded["driver_integrity_assessment"], " ") != "AAA AA A B" {
		t.Errorf("graded items %v", graded)
	}
	if _, ok := e.Item("boat_licence"); ok || e.HasItem("boat_licence") {
		t.Error("an unknown item is known")
	}
	if !e.IDPhoto("photo_2inch") || e.IDPhoto("id_card") || e.IDPhoto("boat_photo") {
		t.Error("IDPhoto: want photo_2inch only")
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
