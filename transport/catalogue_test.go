package transport

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/service"
)

// TestErrorCatalogueMatchesAPIDoc keeps the error catalogue and docs/api.md's table of error
// codes in step both ways, statuses included, as policies/rulebook_test.go does for violations.
func TestErrorCatalogueMatchesAPIDoc(t *testing.T) {
	b, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "Error codes (the service's catalogue")
	if start < 0 {
		t.Fatal("docs/api.md has no error code table")
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| ([0-9]{3}) \\|")
	documented := map[string]int{}
	for _, m := range row.FindAllStringSubmatch(doc[start:], -1) {
		st, _ := strconv.Atoi(m[2])
		documented[m[1]] = st
	}
	catalogued := map[string]bool{}
	for _, e := range service.ErrorCatalogue() {
		if catalogued[e.Code] {
			t.Errorf("%s is catalogued twice", e.Code)
		}
		catalogued[e.Code] = true
		st, ok := documented[e.Code]
		switch {
		case !ok:
			t.Errorf("%s is in the catalogue but not in docs/api.md", e.Code)
		case st != statusOf(e.Kind):
			t.Errorf("%s: docs/api.md says %d, the service answers %d", e.Code, st, statusOf(e.Kind))
		}
		if e.Message == "" || e.MessageEN == "" || !hasHan(e.Message) {
			t.Errorf("%s lacks its Chinese and English text", e.Code)
		}
	}
	for code := range documented {
		if !catalogued[code] {
			t.Errorf("docs/api.md documents %s, which the catalogue does not have", code)
		}
	}
	// Every code constant of the service is catalogued.
	src, err := os.ReadFile("../service/errors.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`Code\w+\s*=\s*"([A-Z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !catalogued[m[1]] {
			t.Errorf("service constant %s is not in the catalogue", m[1])
		}
	}
}

// TestUncataloguedCodeIsInternal: an error built with a code the catalogue lacks is a bug, and
// is answered as one rather than with a status made up on the spot.
func TestUncataloguedCodeIsInternal(t *testing.T) {
	if e := service.NewError("NO_SUCH_CODE", "", "", ""); e.Code != service.CodeInternal || statusOf(e.Kind) != 500 {
		t.Errorf("= %+v", e)
	}
}
