package docgen

import (
	"bytes"
	"encoding/json"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteSamples writes a clean and a degraded set (seed 1, three per kind) to $DOCGEN_OUT
// for people to look at, with manifest.json (truth, degradations, person) beside the images.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("DOCGEN_OUT")
	if dir == "" {
		t.Skip("set DOCGEN_OUT to a directory to write the samples there")
	}
	for _, clean := range []bool{true, false} {
		ss, err := Generate(Options{Seed: 1, PerKind: 3, Clean: clean})
		if err != nil {
			t.Fatal(err)
		}
		sub := "degraded"
		if clean {
			sub = "clean"
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		type entry struct {
			File    string
			Truth   Truth
			Variant string
			Degrade []string
			Person  Person
		}
		var manifest []entry
		for _, s := range ss {
			if err := os.WriteFile(filepath.Join(dir, sub, s.Name+".jpg"), s.Image, 0o644); err != nil {
				t.Fatal(err)
			}
			manifest = append(manifest, entry{s.Name + ".jpg", s.Truth, s.Variant, s.Degrade, s.Person})
		}
		b, err := json.MarshalIndent(manifest, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sub, "manifest.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	kinds := []string{KindIDCard, KindVehicleFront, KindLifePhoto, KindPhoto2Inch}
	a, err := Generate(Options{Seed: 42, PerKind: 2, Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(Options{Seed: 42, PerKind: 2, Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Generate(Options{Seed: 43, PerKind: 2, Kinds: kinds})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) != len(c) {
		t.Fatalf("lengths %d %d %d", len(a), len(b), len(c))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Image, b[i].Image) || a[i].Person != b[i].Person {
			t.Errorf("sample %d (%s) differs between two runs with the same seed", i, a[i].Name)
		}
		if bytes.Equal(a[i].Image, c[i].Image) {
			t.Errorf("sample %d (%s) is the same for seeds 42 and 43", i, a[i].Name)
		}
	}
}

func TestEveryKindAndTruth(t *testing.T) {
	for _, clean := range []bool{true, false} {
		ss, err := Generate(Options{Seed: 7, PerKind: 2, Clean: clean})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, s := range ss {
			seen[s.Truth.Kind]++
			m, err := jpeg.Decode(bytes.NewReader(s.Image))
			if err != nil {
				t.Fatalf("%s: %v", s.Name, err)
			}
			b := m.Bounds()
			if b.Dx() != s.Width || b.Dy() != s.Height {
				t.Errorf("%s: decoded %v, sample says %dx%d", s.Name, b, s.Width, s.Height)
			}
			long := max(b.Dx(), b.Dy())
			if !clean && !strings.HasPrefix(s.Truth.Kind, "photo_") && s.Truth.Kind != KindPhoto2Inch && (long < 900 || long > 2500) {
				t.Errorf("%s: long side %d outside 1000-2400", s.Name, long)
			}
			if clean != (len(s.Degrade) == 0) {
				t.Errorf("%s: clean=%v but degradations %v", s.Name, clean, s.Degrade)
			}
			want := wantFields[s.Truth.Kind]
			if s.Truth.Kind == KindIDCard && s.Variant == "back" {
				want = nil
			}
			for _, f := range want {
				if s.Truth.Fields[f] == "" {
					t.Errorf("%s: field %s missing from the truth", s.Name, f)
				}
			}
			if v := s.Truth.Fields[FieldIDNumber]; v != "" && v != s.Person.IDNumber {
				t.Errorf("%s: id_number %s is not the person's %s", s.Name, v, s.Person.IDNumber)
			}
			if v := s.Truth.Fields[FieldPlate]; v != "" && v != s.Person.Plate {
				t.Errorf("%s: plate %s is not the person's %s", s.Name, v, s.Person.Plate)
			}
			if s.Truth.Faces != wantFaces(s) {
				t.Errorf("%s: %d faces, want %d", s.Name, s.Truth.Faces, wantFaces(s))
			}
		}
		for _, k := range Kinds() {
			if seen[k] != 2 {
				t.Errorf("clean=%v: kind %s generated %d times, want 2", clean, k, seen[k])
			}
		}
	}
}

var wantFields = map[string][]string{
	KindIDCard:            {FieldIDNumber, FieldName},
	KindDrivingMain:       {FieldIDNumber, FieldName, FieldCertificate},
	KindDrivingSecondary:  {FieldIDNumber, FieldName, FieldCertificate, FieldArchive},
	KindQualificationInfo: {FieldIDNumber, FieldName, FieldCertificate},
	KindStudyRecord:       {FieldIDNumber, FieldName, FieldCertificate},
	KindVehicleFront:      {FieldPlate},
	KindTransportCert:     {FieldPlate, FieldCertificate},
	KindVehiclePhoto:      {FieldPlate},
}

func wantFaces(s Sample) int {
	switch s.Truth.Kind {
	case KindIDCard:
		if s.Variant == "front" {
			return 1
		}
		return 0
	case KindDrivingMain, KindQualificationInfo, KindPhoto2Inch:
		return 1
	case KindLifePhoto:
		return clampi(s.Truth.Faces, 1, 3)
	}
	return 0
}

func TestOptions(t *testing.T) {
	if _, err := Generate(Options{Kinds: []string{"passport"}}); err == nil {
		t.Error("an unknown kind was accepted")
	}
	ss, err := Generate(Options{Seed: 1, Kinds: []string{KindTransportCert}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || ss[0].Name != "0000-transport_cert" && !strings.HasPrefix(ss[0].Name, "0000-transport_cert-rot") {
		t.Errorf("PerKind 0 gave %d samples, first %q", len(ss), ss[0].Name)
	}
}

func TestPeople(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	newEnergy := 0
	for i := 0; i < 2000; i++ {
		p := NewPerson(r)
		if !ValidIDNumber(p.IDNumber) {
			t.Fatalf("invalid ID number %s", p.IDNumber)
		}
		if !ValidPlate(p.Plate) {
			t.Fatalf("malformed plate %s", p.Plate)
		}
		if strings.ContainsAny(p.Plate[3:], "IO") {
			t.Fatalf("plate %s has I or O", p.Plate)
		}
		if len([]rune(p.Plate)) == 8 {
			newEnergy++
		}
		if n := len([]rune(p.Name)); n < 2 || n > 3 {
			t.Fatalf("name %s has %d characters", p.Name, n)
		}
		if (p.IDNumber[16]-'0')%2 == 1 != (p.Sex == "男") {
			t.Fatalf("sex %s does not match ID number %s", p.Sex, p.IDNumber)
		}
		if len(p.Archive) != 12 || len(p.Transport) != 12 || len(p.VIN) != 17 {
			t.Fatalf("numbers of wrong length: %+v", p)
		}
		if vinCheck([]byte(p.VIN)) != p.VIN[8] {
			t.Fatalf("VIN %s check digit", p.VIN)
		}
		if !strings.HasPrefix(p.Address, p.Region) || !strings.HasPrefix(p.IDNumber, regionCode(p.Region)) {
			t.Fatalf("address %s / region %s / ID %s disagree", p.Address, p.Region, p.IDNumber)
		}
	}
	if newEnergy == 0 {
		t.Error("no new-energy plates")
	}
}

func regionCode(name string) string {
	for _, r := range regions {
		if r.name == name {
			return r.code
		}
	}
	return "?"
}

func TestIDCheck(t *testing.T) {
	for _, tc := range []struct {
		id    string
		valid bool
	}{
		{"11010519491231002X", true}, // the GB 11643 example
		{"110105194912310021", false},
		{"440524188001010014", false}, // check digit right, but born 1880
		{"410102198002301234", false}, // 30 February
		{"41010219800101123", false},
	} {
		if got := ValidIDNumber(tc.id); got != tc.valid {
			t.Errorf("ValidIDNumber(%s) = %v, want %v", tc.id, got, tc.valid)
		}
	}
	for _, tc := range []struct {
		plate string
		valid bool
	}{
		{"豫A12345", true}, {"豫AD12345", true}, {"豫I12345", false}, {"豫A1234", false}, {"XA12345", false}, {"豫A12O45", false},
	} {
		if got := ValidPlate(tc.plate); got != tc.valid {
			t.Errorf("ValidPlate(%s) = %v, want %v", tc.plate, got, tc.valid)
		}
	}
}

func TestFonts(t *testing.T) {
	fs, names, err := Fonts()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != len(names) || len(fs) == 0 {
		t.Fatalf("%d fonts, %d names", len(fs), len(names))
	}
	if !slices.Contains(names, "Droid Sans Fallback") {
		t.Errorf("the repository's font was not found: %v", names)
	}
	t.Logf("fonts: %v", names)
}

// TestOnlyEmbeddedFont: without the Debian fonts the set still generates, with the
// repository's font alone.
func TestOnlyEmbeddedFont(t *testing.T) {
	fs, err := loadFonts(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.names) != 1 || fs.names[0] != "Droid Sans Fallback" {
		t.Fatalf("fonts %v", fs.names)
	}
	ss, err := generate(Options{Seed: 3, PerKind: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != len(Kinds()) {
		t.Fatalf("%d samples", len(ss))
	}
	// missing fonts must not break the rest: Debian paths that do not exist are skipped
	if _, err := loadFonts([]sysFont{{"/nonexistent/font.ttc", "none"}}); err != nil {
		t.Fatal(err)
	}
}

func TestRotationShare(t *testing.T) {
	ss, err := Generate(Options{Seed: 5, PerKind: 8, Kinds: []string{KindOtherPhoto, KindPhoto2Inch, KindLifePhoto}})
	if err != nil {
		t.Fatal(err)
	}
	turned := 0
	for _, s := range ss {
		for _, d := range s.Degrade {
			if d == "rot90" || d == "rot180" || d == "rot270" {
				turned++
				if !strings.HasSuffix(s.Name, "-"+d) {
					t.Errorf("%s: turned %s but the name does not say so", s.Name, d)
				}
			}
		}
	}
	if turned == 0 || turned > len(ss)/3 {
		t.Errorf("%d of %d turned, want about 15 %%", turned, len(ss))
	}
}

func BenchmarkGenerate(b *testing.B) {
	// per sample: Generate of all kinds, degraded, fonts loaded once per call
	for i := 0; i < b.N; i++ {
		if _, err := Generate(Options{Seed: uint64(i), PerKind: 2}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*2*len(Kinds())), "ms/sample")
}
