package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// fakeReader "reads" every image as the document it was told to, counting the calls.
type fakeReader struct {
	content service.Content
	calls   atomic.Int32
}

func (f *fakeReader) ReadDocument(_ context.Context, img image.Image) service.Content {
	f.calls.Add(1)
	return f.content
}

func (f *fakeReader) TextAvailable() bool { return f.content.Status == service.ContentStatusRead }

func ptr[T any](v T) *T { return &v }

// documentPhoto is a sharp JPEG the image gate reads (a checkerboard: high Laplacian variance).
func documentPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1000))
	for y := range 1000 {
		for x := range 1600 {
			if (x/8+y/8)%2 == 0 {
				img.Set(x, y, color.Black)
			} else {
				img.Set(x, y, color.White)
			}
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func idCardOf(id string) service.Content {
	return service.Content{
		Status: service.ContentStatusRead, Kind: "id_card", Confidence: ptr(0.99),
		Fields: map[string]service.ContentField{
			"id_number": {Value: id, Confidence: ptr(0.99), Valid: ptr(true)},
			"name":      {Value: "张三", Confidence: ptr(0.97)},
		},
		Faces:  &service.ContentFaces{Count: 1, Largest: 0.3, LargestPx: 300},
		Engine: &service.ContentEngine{Text: "fake", Faces: "fake"},
	}
}

// The new user: a phone photo of an ID card uploaded into the driving licence slot of
// a renewal. The upload's facts say what it really is, the pre-check says it is the ID card
// standing in for the licence, and the audit copy of a submission masks what was read.
func TestUploadIsReadAndJudgedByItsContent(t *testing.T) {
	reader := &fakeReader{content: idCardOf("410105198005170018")}
	w := newWorkflowReading(t, reader)
	up, err := w.svc.UploadMaterial(portalA, "driving_licence_main", documentPhoto(t))
	if err != nil {
		t.Fatal(err)
	}
	if reader.calls.Load() != 1 || up.Facts.Content == nil || up.Facts.Content.Kind != "id_card" {
		t.Fatalf("upload facts = %+v (reader called %d times)", up.Facts, reader.calls.Load())
	}
	b, _ := json.Marshal(up)
	if !strings.Contains(string(b), `"content":{"status":"read","kind":"id_card"`) {
		t.Errorf("upload JSON = %s", b)
	}

	app := passing(t)
	app.Materials[0] = service.Material{Kind: "driving_licence_main", UploadID: up.ID}
	app.AsOf = "2026-11-23" // the fixture's renewal window is open
	d, err := w.svc.Precheck(portalA, app)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(d.Violations, func(v policies.Violation) bool { return v.Code == "MATERIAL_SUBSTITUTED" })
	if d.Pass || i < 0 || d.Violations[i].Material != "driving_licence_main" || d.Violations[i].Params["substitute"] != "id_card" {
		t.Fatalf("decision = %+v, want MATERIAL_SUBSTITUTED for driving_licence_main by id_card", d.Violations)
	}
	if !strings.Contains(d.Violations[i].Message, "居民身份证") {
		t.Errorf("message %q does not name the ID card", d.Violations[i].Message)
	}
}

// A correct document of the right person changes nothing; what was read is stored with the
// application and masked in its audit record.
func TestReadContentIsMaskedInTheAudit(t *testing.T) {
	licence := idCardOf("410105198005170018")
	licence.Kind = "driving_licence_main"
	licence.Fields["certificate_number"] = service.ContentField{Value: "410105198005170018", Confidence: ptr(0.98)}
	reader := &fakeReader{content: licence}
	w := newWorkflowReading(t, reader)
	up, err := w.svc.UploadMaterial(portalA, "driving_licence_main", documentPhoto(t))
	if err != nil {
		t.Fatal(err)
	}
	app := passing(t)
	app.Materials[0] = service.Material{Kind: "driving_licence_main", UploadID: up.ID}
	res, err := w.svc.Submit(portalA, app, "")
	if err != nil || res.Submission == nil {
		t.Fatalf("submit = %+v, %v", res.Decision.Violations, err)
	}
	audit, err := w.store.Decisions(context.Background(), 10)
	if err != nil || len(audit) != 1 {
		t.Fatalf("audit = %d records, %v", len(audit), err)
	}
	red, _ := json.Marshal(audit[0].RedactedInput)
	if strings.Contains(string(red), "410105198005170018") || !strings.Contains(string(red), `"value":"410***********0018"`) {
		t.Errorf("audit input = %s", red)
	}
	sub, err := w.store.Submission(context.Background(), res.Submission.ID)
	if err != nil || sub.Input.Materials[0].Content == nil || sub.Input.Materials[0].Content.Fields["id_number"].Value != "410105198005170018" {
		t.Errorf("the stored application lost what was read: %v", err)
	}
}

// An unreadable file is not read (it is MATERIAL_UNREADABLE already), and without a reader
// no upload has content.
func TestUnreadableUploadIsNotRead(t *testing.T) {
	reader := &fakeReader{content: idCardOf("410105198005170018")}
	w := newWorkflowReading(t, reader)
	up, err := w.svc.UploadMaterial(portalA, "driving_licence_main", []byte("\xff\xd8\xff\xe0 not really a jpeg"))
	if err != nil {
		t.Fatal(err)
	}
	if reader.calls.Load() != 0 || up.Facts.Content != nil || up.Facts.Readable {
		t.Errorf("unreadable upload: facts %+v, reader called %d times", up.Facts, reader.calls.Load())
	}
}
