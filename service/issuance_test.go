package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/service/imagefacts"
)

// Which items issue which certificate, which are graded and which materials are ID photos is
// policy data (items.json "certificate" and "grades", limits.json "photo_kinds"): these tests
// change the data, never the Go code, and watch the service follow.

// rulebookWith is the built-in rulebook with the data file data/<file> decoded, changed by
// edit and encoded again.
func rulebookWith(t *testing.T, file string, edit func(doc map[string]any)) fstest.MapFS {
	t.Helper()
	found := false
	fsys := builtinWith(t, func(p string, b []byte) []byte {
		if p != "data/"+file {
			return b
		}
		found = true
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc)
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return out
	})
	if !found {
		t.Fatalf("no data/%s in the built-in rulebook", file)
	}
	return fsys
}

// builtinWith is a copy of the built-in rulebook, each file passed through edit.
func builtinWith(t *testing.T, edit func(path string, b []byte) []byte) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(policies.Builtin(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(policies.Builtin(), p)
		if err != nil {
			return err
		}
		fsys[p] = &fstest.MapFile{Data: edit(p, b)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// item is items.json's entry of code, to edit.
func item(doc map[string]any, code string) map[string]any {
	return doc["items"].(map[string]any)[code].(map[string]any)
}

func TestItemIssuesTheCertificateItsDataSays(t *testing.T) {
	rulebook := rulebookWith(t, "items.json", func(doc map[string]any) {
		item(doc, "transport_cert_renewal")["certificate"] = map[string]any{"type": "annual_review", "validity": "one_year"}
	})
	w := newWorkflowWith(t, rulebook, func(*service.Config) {})
	w.clock.set(time.Date(2026, 12, 20, 10, 0, 0, 0, service.ChinaTime)) // the fixture's as_of
	res, err := w.svc.Submit(portalA, readApplication(t, "../samples/transport_cert_renewal_pass.json"), "")
	if err != nil || res.Submission == nil {
		t.Fatalf("submit: %v %+v", err, res.Decision.Violations)
	}
	id := res.Submission.ID
	if _, err := w.svc.Review(reviewer, id, service.ActionAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Review(reviewer, id, service.ActionApprove, "", "AA"); service.AsError(err).Code != service.CodeInvalidField {
		t.Errorf("a grade on an item without grades: %v", err)
	}
	s, err := w.svc.Review(reviewer, id, service.ActionApprove, "", "")
	if err != nil || s.Certificate == "" {
		t.Fatalf("approve: %v, certificate %q", err, s.Certificate)
	}
	c, err := w.svc.GetCertificate(portalA, s.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if c.Type != "annual_review" || c.ValidUntil != "2027-12-19" || c.Content == nil || c.Content.Plate == "" {
		t.Errorf("certificate %s valid until %s, content %+v; want an annual review of the vehicle valid until 2027-12-19", c.Type, c.ValidUntil, c.Content)
	}
}

// A graded item takes its grades from the data, and its message names the item.
func TestGradesAreTheItemsData(t *testing.T) {
	rulebook := rulebookWith(t, "items.json", func(doc map[string]any) {
		item(doc, "driver_integrity_assessment")["grades"] = []any{"AAA", "B"}
	})
	w := newWorkflowWith(t, rulebook, func(*service.Config) {})
	w.clock.set(time.Date(2026, 12, 5, 10, 0, 0, 0, service.ChinaTime)) // in the fixture's window
	res, err := w.svc.Submit(portalA, readApplication(t, "../samples/driver_integrity_assessment_pass.json"), "")
	if err != nil || res.Submission == nil {
		t.Fatalf("submit: %v %+v", err, res.Decision.Violations)
	}
	id := res.Submission.ID
	if _, err := w.svc.Review(reviewer, id, service.ActionAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Review(reviewer, id, service.ActionApprove, "", "AA")
	if e := service.AsError(err); e.Code != service.CodeGradeRequired ||
		e.Message != "道路运输驾驶员诚信考核审验通过须给出等级：AAA（优良）或 B（不合格）" {
		t.Errorf("AA, not a grade of the data: %v (%q)", err, e.Message)
	}
	if s, err := w.svc.Review(reviewer, id, service.ActionApprove, "", "B"); err != nil || s.Grade != "B" || s.Certificate == "" {
		t.Errorf("approve with B: %+v %v", s, err)
	}
}

// NewRules refuses a rulebook whose data names what the service cannot issue; policies.Load
// refuses a certificate that is not {type, validity}.
func TestRulebookWithUnknownIssuanceFailsToLoad(t *testing.T) {
	for name, tt := range map[string]struct {
		edit func(doc map[string]any)
		want string
	}{
		"unknown certificate type": {func(doc map[string]any) {
			item(doc, "freight_annual_review")["certificate"] = map[string]any{"type": "road_permit", "validity": "one_year"}
		}, `items.freight_annual_review.certificate.type: unknown certificate type "road_permit"`},
		"unknown validity": {func(doc map[string]any) {
			item(doc, "freight_annual_review")["certificate"] = map[string]any{"type": "annual_review", "validity": "two_years"}
		}, `items.freight_annual_review.certificate.validity: unknown validity "two_years"`},
		"a certificate about another record": {func(doc map[string]any) {
			item(doc, "qualification_renewal")["certificate"] = map[string]any{"type": "annual_review", "validity": "one_year"}
		}, `items.qualification_renewal.certificate.type: an annual_review certificate is about a vehicle record, and the item's subject is "qualification"`},
		"an assessment cycle of a vehicle": {func(doc map[string]any) {
			item(doc, "freight_annual_review")["certificate"] = map[string]any{"type": "annual_review", "validity": "assessment_cycle"}
		}, "assessment_cycle is derived from a qualification"},
		"a grade the certificate format does not know": {func(doc map[string]any) {
			item(doc, "driver_integrity_assessment")["grades"] = []any{"AAA", "C"}
		}, `items.driver_integrity_assessment.grades: "C" is not a grade of the certificate format`},
		"an integrity assessment without grades": {func(doc map[string]any) {
			delete(item(doc, "driver_integrity_assessment"), "grades")
		}, "an integrity_assessment certificate carries a grade, and the item lists no grades"},
		"a graded annual review": {func(doc map[string]any) {
			item(doc, "freight_annual_review")["grades"] = []any{"A"}
		}, "an annual_review certificate carries no grade"},
		"a certificate without validity": {func(doc map[string]any) {
			item(doc, "freight_annual_review")["certificate"] = map[string]any{"type": "annual_review"}
		}, "items.freight_annual_review.certificate: type and validity are required"},
		"a certificate with an unknown key": {func(doc map[string]any) {
			item(doc, "freight_annual_review")["certificate"] = map[string]any{"type": "annual_review", "validity": "one_year", "valid_for": "P1Y"}
		}, `items.freight_annual_review.certificate: want {"type": …, "validity": …}`},
		"a repeated grade": {func(doc map[string]any) {
			item(doc, "driver_integrity_assessment")["grades"] = []any{"A", "A"}
		}, `items.driver_integrity_assessment.grades: empty or repeated grade "A"`},
	} {
		t.Run(name, func(t *testing.T) {
			book, err := policies.Load(context.Background(), rulebookWith(t, "items.json", tt.edit))
			if err == nil {
				_, err = service.NewRules(book)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loaded: %v; want an error saying %s", err, tt.want)
			}
		})
	}
}

// recordingAnalyzer remembers the options of each upload and stops it there.
type recordingAnalyzer struct{ background map[string]bool }

var errStop = errors.New("stop after analysis")

type kindKey struct{}

func (a *recordingAnalyzer) Analyze(ctx context.Context, _ io.Reader, opt imagefacts.Options) (imagefacts.Facts, error) {
	a.background[ctx.Value(kindKey{}).(string)] = opt.Background
	return imagefacts.Facts{}, errStop
}

// noStore is a store the upload never reaches (the analyzer stops it).
type noStore struct{ service.Store }

func TestIDPhotoKindsGetTheirBackgroundClassified(t *testing.T) {
	uploads := func(rulebook fs.FS) map[string]bool {
		t.Helper()
		book, err := policies.Load(context.Background(), rulebook)
		if err != nil {
			t.Fatal(err)
		}
		rules, err := service.NewRules(book)
		if err != nil {
			t.Fatal(err)
		}
		a := &recordingAnalyzer{background: map[string]bool{}}
		svc, err := service.New(service.Config{Rules: rules, Store: noStore{}, Analyzer: a})
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"photo_2inch", "id_card", "vehicle_photo_45"} {
			ctx := context.WithValue(portalA, kindKey{}, kind)
			if _, err := svc.UploadMaterial(ctx, kind, []byte("image")); !errors.Is(err, errStop) {
				t.Fatalf("upload %s: %v", kind, err)
			}
		}
		return a.background
	}
	if got := uploads(policies.Builtin()); !got["photo_2inch"] || got["id_card"] || got["vehicle_photo_45"] {
		t.Errorf("built-in rulebook: background classified %v; want photo_2inch only", got)
	}
	flagged := rulebookWith(t, "limits.json", func(doc map[string]any) {
		doc["limits"].(map[string]any)["photo_kinds"] = []any{"photo_2inch", "id_card"}
	})
	if got := uploads(flagged); !got["photo_2inch"] || !got["id_card"] || got["vehicle_photo_45"] {
		t.Errorf("id_card flagged an ID photo: background classified %v; want photo_2inch and id_card", got)
	}
	unknown := rulebookWith(t, "limits.json", func(doc map[string]any) {
		doc["limits"].(map[string]any)["photo_kinds"] = []any{"photo_1inch"}
	})
	if _, err := policies.Load(context.Background(), unknown); err == nil || !strings.Contains(err.Error(), `photo_kinds: "photo_1inch" is not a material`) {
		t.Errorf("an ID photo kind that is no material: %v", err)
	}
}
