package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

type verification struct {
	Status      string `json:"status"`
	Certificate *struct {
		ID, Type, Subject, Grade, Plate string
		IDTail                          string `json:"id_tail"`
		QualificationNumber             string `json:"qualification_number"`
	} `json:"certificate"`
	CheckedOnline bool `json:"checked_online"`
}

// approveApp submits doc as portal-a, accepts and approves it, and returns the certificate id.
func approveApp(t *testing.T, s *server, tok map[string]string, doc []byte, body string) string {
	t.Helper()
	code, b := s.call(t, "POST", "/v1/applications", tok["portal-a"], bytes.NewReader(doc))
	if code != 201 {
		t.Fatalf("submit = %d %s", code, b)
	}
	sub := decodeSubmission(t, b)
	if code, b := s.call(t, "POST", "/v1/applications/"+sub.ID+"/accept", tok["reviewer"], nil); code != 200 {
		t.Fatalf("accept = %d %s", code, b)
	}
	code, b = s.call(t, "POST", "/v1/applications/"+sub.ID+"/approve", tok["reviewer"], strings.NewReader(body))
	if code != 200 {
		t.Fatalf("approve = %d %s", code, b)
	}
	var got struct {
		Status        string `json:"status"`
		CertificateID string `json:"certificate_id"`
	}
	_ = json.Unmarshal(b, &got)
	if got.Status != "approved" || got.CertificateID == "" {
		t.Fatalf("approved application = %s", b)
	}
	return got.CertificateID
}

// integrityAssessmentDue is the fixture's integrity assessment, made due today (first issued a
// year ago); ok is false on 29 February, when the cycle arithmetic lands elsewhere.
func integrityAssessmentDue(t *testing.T) (doc []byte, firstIssued time.Time, ok bool) {
	t.Helper()
	today := time.Now().In(service.ChinaTime)
	app := map[string]any{}
	_ = json.Unmarshal(must(readFile("../../samples/driver_integrity_assessment_pass.json")), &app)
	q := app["qualification"].(map[string]any)
	first := today.AddDate(-1, 0, 0)
	if first.Day() != today.Day() {
		return nil, first, false
	}
	q["first_issued"] = first.Format("2006-01-02")
	q["expires"] = today.AddDate(5, 0, 0).Format("2006-01-02")
	q["last_assessed_cycle_end"] = first.Format("2006-01-02")
	delete(app, "as_of")
	doc, _ = json.Marshal(app)
	return doc, first, true
}

// TestCertificates: approving an integrity assessment and an annual review issues signed
// certificates that download as JSON, PNG and PDF, verify online, and stop verifying once revoked.
func TestCertificates(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	data := t.TempDir()
	tok := writeTokenFile(t, data, map[string]service.Role{
		"portal-a": service.RolePortal, "portal-b": service.RolePortal,
		"reviewer": service.RoleReviewer, "admin": service.RoleAdmin,
	})
	s := startServer(t, data, "--tokens", filepath.Join(data, "tokens.json"))
	today := time.Now().In(service.ChinaTime)

	doc, first, ok := integrityAssessmentDue(t)
	if !ok {
		t.Skip("first-issue date arithmetic differs on 29 February")
	}
	approve := func(doc []byte, body string) string { return approveApp(t, s, tok, doc, body) }
	certID := approve(doc, `{"grade":"AA"}`)

	code, b := s.call(t, "GET", "/v1/certificates/"+certID, tok["portal-a"], nil)
	var view struct {
		ID, Type, Status, Payload string
		ValidUntil                string `json:"valid_until"`
	}
	if err := json.Unmarshal(b, &view); code != 200 || err != nil || view.Type != "integrity_assessment" || !strings.HasPrefix(view.Payload, "RC1:") {
		t.Fatalf("certificate = %d %s", code, b)
	}
	if want := first.AddDate(2, 0, 20).Format("2006-01-02"); view.ValidUntil != want {
		t.Errorf("valid until %s, want the next anniversary + 20 days, %s", view.ValidUntil, want)
	}
	if code, _ := s.call(t, "GET", "/v1/certificates/"+certID, tok["portal-b"], nil); code != 404 {
		t.Errorf("portal B reads portal A's certificate: %d", code)
	}
	code, b = s.call(t, "GET", "/v1/certificates/"+certID+".png", tok["reviewer"], nil)
	if img, err := png.Decode(bytes.NewReader(b)); code != 200 || err != nil || img.Bounds().Dx() < 600 {
		t.Errorf("PNG = %d, %v", code, err)
	}
	code, b = s.call(t, "GET", "/v1/certificates/"+certID+".pdf", tok["portal-a"], nil)
	if code != 200 || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte(view.Payload)) {
		t.Errorf("PDF = %d, %d bytes, payload in metadata: %v", code, len(b), bytes.Contains(b, []byte(view.Payload)))
	}

	verify := func(payload string) verification {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"payload": payload})
		code, b := s.call(t, "POST", "/v1/verify", "", bytes.NewReader(body))
		var v verification
		if err := json.Unmarshal(b, &v); code != 200 || err != nil {
			t.Fatalf("verify = %d %s", code, b)
		}
		return v
	}
	v := verify(view.Payload)
	if v.Status != "valid" || !v.CheckedOnline || v.Certificate == nil || v.Certificate.Grade != "AA" ||
		v.Certificate.IDTail != "0018" || strings.Contains(v.Certificate.Subject, "三") ||
		v.Certificate.QualificationNumber != "Q41******0001" {
		t.Errorf("verification = %+v %+v", v, v.Certificate)
	}
	// One character changed: never valid.
	if v := verify(tamper(view.Payload)); v.Status == "valid" || v.Certificate != nil {
		t.Errorf("a forged payload verified: %+v", v)
	}

	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["reviewer"], strings.NewReader(`{"reason":"x"}`)); code != 403 {
		t.Errorf("a reviewer revoked: %d %s", code, b)
	}
	// No reason is REASON_REQUIRED, as for reject and deny: no body (with or without a
	// Content-Type), {}, an empty or a blank reason. The certificate stays valid.
	for _, tt := range []struct{ contentType, body string }{
		{"application/json", ""},
		{"", ""},
		{"application/json", "{}"},
		{"application/json", `{"reason":""}`},
		{"application/json", `{"reason":"  "}`},
		{"application/json", `{"reason":"\t\n　"}`},
	} {
		code, b := s.callType(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], tt.contentType, strings.NewReader(tt.body))
		if code != 400 || errCode(t, b) != "REASON_REQUIRED" {
			t.Errorf("revoke with body %q (Content-Type %q) = %d %s, want 400 REASON_REQUIRED", tt.body, tt.contentType, code, b)
		}
	}
	if v := verify(view.Payload); v.Status != "valid" {
		t.Errorf("after revocations without a reason: %+v", v)
	}
	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], strings.NewReader(`{"reason":"考核材料造假"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	if v := verify(view.Payload); v.Status != "revoked" {
		t.Errorf("after revocation: %+v", v)
	}
	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], strings.NewReader(`{"reason":"again"}`)); code != 409 {
		t.Errorf("second revoke = %d %s", code, b)
	}

	// A freight annual review: a certificate with the plate, no grade.
	rev := map[string]any{}
	_ = json.Unmarshal(must(readFile("../../samples/freight_annual_review_pass.json")), &rev)
	rev["vehicle"].(map[string]any)["last_review"] = today.AddDate(-1, 0, 0).Format("2006-01-02")
	rev["vehicle"].(map[string]any)["cert_expires"] = today.AddDate(2, 0, 0).Format("2006-01-02")
	delete(rev, "as_of")
	doc, _ = json.Marshal(rev)
	reviewCert := approve(doc, ``)
	code, b = s.call(t, "GET", "/v1/certificates/"+reviewCert, tok["portal-a"], nil)
	_ = json.Unmarshal(b, &view)
	if v := verify(view.Payload); code != 200 || v.Status != "valid" || v.Certificate == nil || v.Certificate.Type != "annual_review" {
		t.Errorf("annual review certificate: %d %+v", code, v)
	}
	if want := today.AddDate(1, 0, -1).Format("2006-01-02"); view.ValidUntil != want {
		t.Errorf("annual review valid until %s, want %s", view.ValidUntil, want)
	}

	code, b = s.call(t, "GET", "/v1/trust-list", "", nil)
	if code != 200 || !strings.Contains(string(b), `"kid"`) {
		t.Errorf("trust list = %d %s", code, b)
	}
}

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }
