package transport

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/service"
)

func TestDecodeJSONLimit(t *testing.T) {
	var app service.Application
	body := `{"item":"qualification_renewal"}`
	if err := DecodeJSON(strings.NewReader(body), int64(len(body)), &app); err != nil {
		t.Fatalf("a body of exactly the limit was refused: %v", err)
	}
	err := DecodeJSON(strings.NewReader(body+"  "), int64(len(body)), &app)
	if err == nil || service.AsError(err).Code != service.CodeBodyTooLarge {
		t.Fatalf("a body over the limit: %v, want BODY_TOO_LARGE", err)
	}
}

func TestDecodeJSONNamesTheField(t *testing.T) {
	var app service.Application
	err := DecodeJSON(strings.NewReader(`{"item":"x","materials":[{"kind":"photo_2inch","width":"wide"}]}`), 1<<20, &app)
	e := service.AsError(err)
	if e.Code != service.CodeInvalidField || e.Field != "materials[0].width" {
		t.Errorf("got %+v, want INVALID_FIELD on materials[0].width", e)
	}
}

// FuzzDecodeApplication feeds untrusted bytes to the application reader (strict JSON, then the
// contract of the built-in rulebook): it must either accept a document that reads back the
// same way once re-encoded, or refuse it with a stable API code, and never panic.
func FuzzDecodeApplication(f *testing.F) {
	f.Add([]byte(`{"item":"qualification_renewal","as_of":"2026-10-20","applicant":{"kind":"natural"},"materials":[{"kind":"photo_2inch","width":300}]}`))
	f.Add([]byte(`{"item":`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"item":"freight_annual_review","vehicle":{"gross_mass_kg":1e400}}`))
	f.Add([]byte(`{"item":"qualification_renewal","qualification":{"number":"Q1","expires":"2026-02-30"},"form":{"delivery":"mail","delivery":"pickup"}}`))
	f.Add([]byte(`{"item":"qualification_renewal","materials":[{"kind":"photo_2inch","width":1e3,"size_bytes":-0}]}`))
	book := builtinBook()
	f.Fuzz(func(t *testing.T, b []byte) {
		app, err := service.ParseApplicationDocument(book, b)
		if err != nil {
			switch code := service.AsError(err).Code; code {
			case service.CodeInvalidJSON, service.CodeInvalidField, service.CodeUnknownItem:
			default:
				t.Fatalf("unexpected code %s for %q", code, b)
			}
			return
		}
		again, err := json.Marshal(app)
		if err != nil {
			t.Fatalf("accepted document does not marshal: %v", err)
		}
		if _, err := service.ParseApplicationDocument(book, again); err != nil {
			t.Fatalf("accepted %q, but not its re-encoding %s: %v", b, again, err)
		}
	})
}
