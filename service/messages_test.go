package service_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// Chinese messages name states, material kinds and other identifiers in Chinese, never by
// their English codes (those are for message_en and the machine-readable fields).

func TestStatusLabel(t *testing.T) {
	for _, tt := range []struct {
		status service.Status
		want   string
	}{
		{service.StatusSubmitted, "已提交"},
		{service.StatusAccepted, "已受理"},
		{service.StatusNotAccepted, "不予受理"},
		{service.StatusApproved, "审验通过"},
		{service.StatusDenied, "审验未通过"},
		{"archived", "未知状态"},
		{"", "未知状态"},
	} {
		if got := tt.status.Label(); got != tt.want {
			t.Errorf("%q.Label() = %q, want %q", tt.status, got, tt.want)
		}
	}
}

// hasLatin reports whether s holds an ASCII letter: an English word or code.
func hasLatin(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 128 && ('a' <= r|0x20 && r|0x20 <= 'z') })
}

func TestInvalidTransitionMessageNamesTheStateInChinese(t *testing.T) {
	w := newWorkflow(t)
	ctx := context.Background()
	renewal := readApplication(t, "../samples/qualification_renewal_pass.json")
	assess := readApplication(t, "../samples/driver_integrity_assessment_pass.json")
	for _, tt := range []struct {
		name   string
		app    service.Application
		status service.Status
		action service.Action
		label  string
	}{
		{"approve submitted", renewal, service.StatusSubmitted, service.ActionApprove, "已提交"},
		{"accept accepted", renewal, service.StatusAccepted, service.ActionAccept, "已受理"},
		{"accept not accepted", renewal, service.StatusNotAccepted, service.ActionAccept, "不予受理"},
		{"deny approved", renewal, service.StatusApproved, service.ActionDeny, "审验通过"},
		{"reject denied", renewal, service.StatusDenied, service.ActionReject, "审验未通过"},
		// Approving an item that issues a certificate checks the state before signing.
		{"approve submitted assessment", assess, service.StatusSubmitted, service.ActionApprove, "已提交"},
		{"approve denied assessment", assess, service.StatusDenied, service.ActionApprove, "审验未通过"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id := "a-state-" + strings.ReplaceAll(tt.name, " ", "-")
			sub := service.Submission{ID: id, Portal: "portal-a", ApplicantID: "410105198005170018", Item: tt.app.Item,
				Status: tt.status, SubmittedAt: time.Now().UTC(), AcceptBy: "2026-11-25",
				Decision: service.Decision{Item: tt.app.Item, AsOf: "2026-12-05", Pass: true}, Input: tt.app}
			if err := w.store.InsertSubmission(ctx, sub); err != nil {
				t.Fatal(err)
			}
			grade := ""
			if tt.action == service.ActionApprove && tt.app.Item == "driver_integrity_assessment" {
				grade = "AA"
			}
			_, err := w.svc.Review(reviewer, id, tt.action, "理由", grade)
			e := service.AsError(err)
			if e.Code != service.CodeInvalidTransition {
				t.Fatalf("%s = %v, want INVALID_TRANSITION", tt.action, err)
			}
			if !strings.Contains(e.Message, "“"+tt.label+"”") || hasLatin(e.Message) {
				t.Errorf("message = %q, want the state as “%s” and no English", e.Message, tt.label)
			}
			if !strings.Contains(e.MessageEN, string(tt.status)) {
				t.Errorf("message_en = %q, want the state code %s", e.MessageEN, tt.status)
			}
		})
	}
}

func TestUploadOfAnotherKindIsNamedInChinese(t *testing.T) {
	w := newWorkflow(t)
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 56))
	img.Set(3, 3, color.Black)
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	up, err := w.svc.UploadMaterial(portalA, "id_card", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	app := passing(t)
	for i, m := range app.Materials {
		if m.Kind == "photo_2inch" {
			app.Materials[i] = service.Material{Kind: "photo_2inch", UploadID: up.ID}
		}
	}
	_, err = w.svc.Precheck(portalA, app)
	e := service.AsError(err)
	if e.Code != service.CodeInvalidField || !strings.HasSuffix(e.Field, ".upload_id") {
		t.Fatalf("precheck = %v, want INVALID_FIELD on the upload id", err)
	}
	for _, want := range []string{"“居民身份证”", "“近期二寸正面免冠彩色证件照”"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message = %q, want %s", e.Message, want)
		}
	}
	for _, code := range []string{"id_card", "photo_2inch"} {
		if strings.Contains(e.Message, code) {
			t.Errorf("message = %q names the kind code %s", e.Message, code)
		}
		if !strings.Contains(e.MessageEN, code) {
			t.Errorf("message_en = %q, want the kind code %s", e.MessageEN, code)
		}
	}
}

// A stored integrity assessment whose submission date is in no assessment window cannot be
// certified; the Chinese message says so without the Go error's English.
func TestNoAssessmentCycleMessageIsChinese(t *testing.T) {
	w := newWorkflow(t)
	app := readApplication(t, "../samples/driver_integrity_assessment_pass.json")
	const asOf = "2026-06-15" // the fixture's windows open each 1 December
	sub := service.Submission{ID: "a-stored-no-window", Portal: "portal-a", ApplicantID: "410105198005170018", Item: app.Item,
		Status: service.StatusAccepted, SubmittedAt: time.Now().UTC(), AcceptBy: "2026-06-17", Due: "2026-06-22",
		Decision: service.Decision{Item: app.Item, AsOf: asOf, Pass: true}, Input: app}
	if err := w.store.InsertSubmission(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Review(reviewer, sub.ID, service.ActionApprove, "", "AA")
	e := service.AsError(err)
	if e.Code != service.CodeStoredDataInvalid || e.Field != "qualification.first_issued" {
		t.Fatalf("approve = %v (code %s, field %q), want STORED_DATA_INVALID on qualification.first_issued", err, e.Code, e.Field)
	}
	if hasLatin(e.Message) || !strings.Contains(e.Message, asOf) || !strings.Contains(e.Message, app.Qualification.FirstIssued) {
		t.Errorf("message = %q, want Chinese naming %s and the first-issue date", e.Message, asOf)
	}
}
