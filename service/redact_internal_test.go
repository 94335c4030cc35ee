package service

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/policies"
)

// What OCR read from an image is personal data: the audit copy masks it like the applicant's
// own fields, and leaves the facts the rules judged (kind, confidence, validity) readable.
func TestRedactMasksWhatWasRead(t *testing.T) {
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	conf, valid := 0.98, true
	app := Application{
		Item:      "qualification_renewal",
		Applicant: &Applicant{IDNumber: "410105198005170018", Name: "张三丰"},
		Materials: []Material{{Kind: "driving_licence_main", Content: &Content{
			Status: ContentStatusRead, Kind: "driving_licence_main", Confidence: &conf,
			Fields: map[string]ContentField{
				"id_number":      {Value: "410105198005170018", Confidence: &conf, Valid: &valid},
				"name":           {Value: "张三丰", Confidence: &conf},
				"plate":          {Value: "豫A12345", Confidence: &conf, Valid: &valid},
				"archive_number": {Value: "410100123456", Confidence: &conf},
			},
		}}},
	}
	out := redact(book.Contract(), app)
	got := out.Materials[0].Content
	want := map[string]string{"id_number": "410***********0018", "name": "张**", "plate": "豫A***45", "archive_number": "410*****3456"}
	for k, w := range want {
		if got.Fields[k].Value != w {
			t.Errorf("%s: %q, want %q", k, got.Fields[k].Value, w)
		}
	}
	if got.Kind != "driving_licence_main" || *got.Confidence != conf || !*got.Fields["id_number"].Valid {
		t.Errorf("judged facts lost: %+v", got)
	}
	b, _ := json.Marshal(out)
	if strings.Contains(string(b), "410105198005170018") || strings.Contains(string(b), "豫A12345") {
		t.Errorf("an unmasked reading survives: %s", b)
	}
	if app.Materials[0].Content.Fields["id_number"].Value != "410105198005170018" {
		t.Error("redact changed the caller's application")
	}
}
