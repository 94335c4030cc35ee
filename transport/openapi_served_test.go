package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/roadcheck/roadcheck/service"
)

// servedService is the test service with the built-in rulebook's whole catalogue: the
// document it serves is the one a roadcheck service with that rulebook serves.
type servedService struct{ fakeService }

func (s *servedService) Items(context.Context) (service.Catalogue, error) {
	book := builtinBook()
	return service.Catalogue{Items: book.Catalogue(), Fields: book.Contract().Fields()}, nil
}

// TestWriteServedOpenAPI writes the document GET /openapi.json serves (every item's schema
// filled in) to $ROADCHECK_OPENAPI_OUT, for make openapi-lint to lint beside the committed one.
func TestWriteServedOpenAPI(t *testing.T) {
	out := os.Getenv("ROADCHECK_OPENAPI_OUT")
	if out == "" {
		t.Skip("ROADCHECK_OPENAPI_OUT is not set: make openapi-lint sets it to the file it lints")
	}
	res, b := do(t, NewHandler(&servedService{}, Config{}), "GET", "/openapi.json", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("GET /openapi.json = %d %s", res.StatusCode, b)
	}
	var pretty bytes.Buffer // indented, so that the linter's locations can be read
	if err := json.Indent(&pretty, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	if err := os.WriteFile(out, pretty.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
