package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
)

// revocationResult is the part of a verification result the revocation tests read.
type revocationResult struct {
	Status        string `json:"status"`
	CheckedOnline bool   `json:"checked_online"`
	Certificate   *struct {
		ID           string     `json:"id"`
		RevokedAt    *time.Time `json:"revoked_at"`
		RevokeReason string     `json:"revoke_reason"`
	} `json:"certificate"`
	Revocation *struct {
		Checked string     `json:"checked"`
		AsOf    *time.Time `json:"as_of"`
		State   string     `json:"state"`
	} `json:"revocation"`
}

// runVerify runs `roadcheck verify` offline (no environment, a data directory without keys).
func runVerify(t *testing.T, dir string, args ...string) (code int, out string, err error) {
	t.Helper()
	var buf bytes.Buffer
	err = run(context.Background(), append([]string{"roadcheck", "verify", "--data", dir}, args...), noEnv, nil, &buf, &buf)
	return exitCode(err), buf.String(), err
}

func writeTemp(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRevocationsEndpoint: GET /v1/revocations through the real service and embedded store,
// before and right after a revocation, and the list it serves used offline by `roadcheck
// verify --revocations` and online by POST /v1/verify.
func TestRevocationsEndpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	c := issueCertificate(t, "AA")
	s := c.s
	get := func() []byte {
		t.Helper()
		code, b := s.call(t, "GET", "/v1/revocations", "", nil)
		if code != 200 {
			t.Fatalf("GET /v1/revocations = %d %s", code, b)
		}
		return b
	}
	var before struct {
		Version    int       `json:"version"`
		Issuer     string    `json:"issuer"`
		IssuedAt   time.Time `json:"issued_at"`
		NextUpdate time.Time `json:"next_update"`
		Revoked    []any     `json:"revoked"`
		Signed     []any     `json:"signed"`
	}
	b0 := get()
	if err := json.Unmarshal(b0, &before); err != nil || before.Version != 1 || before.Issuer != "HA" || before.Revoked == nil ||
		len(before.Revoked) != 0 || len(before.Signed) != 1 || before.NextUpdate.Sub(before.IssuedAt) != 6*time.Hour {
		t.Fatalf("list before any revocation: %v %s", err, b0)
	}
	if b := get(); !bytes.Equal(b, b0) {
		t.Errorf("unchanged list served differently:\n%s\n%s", b0, b)
	}
	if code, b := s.call(t, "POST", "/v1/certificates/"+c.id+"/revoke", c.tok["admin"], strings.NewReader(`{"reason":"证件信息有误"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	after := get()
	if !strings.Contains(string(after), `"id":"`+c.id+`"`) || !strings.Contains(string(after), `"reason":"证件信息有误"`) {
		t.Fatalf("list right after the revocation lacks it: %s", after)
	}

	// Offline, with the trust list and revocation list an inspector's device downloaded.
	_, trust := s.call(t, "GET", "/v1/trust-list", "", nil)
	dir := t.TempDir()
	trustFile := writeTemp(t, dir, "trust.json", trust)
	code, out, err := runVerify(t, dir, "--trust", trustFile, "--revocations", writeTemp(t, dir, "revocations.json", after), "--payload", c.payload)
	var r revocationResult
	if jerr := json.Unmarshal([]byte(out), &r); jerr != nil || code != 1 || r.Status != "revoked" || r.Certificate == nil ||
		r.Certificate.RevokeReason != "证件信息有误" || r.Certificate.RevokedAt == nil || r.Revocation == nil ||
		r.Revocation.Checked != "list" || r.Revocation.State != "fresh" || r.Revocation.AsOf == nil {
		t.Errorf("offline with the new list: exit %d (%v)\n%s", code, err, out)
	}
	// The list from before the revocation still verifies the certificate, as of its time.
	code, out, _ = runVerify(t, dir, "--trust", trustFile, "--revocations", writeTemp(t, dir, "old.json", b0), "--text", "--payload", c.payload)
	if code != 0 || !strings.Contains(out, "status: valid") || !strings.Contains(out, "revocation status as of "+before.IssuedAt.UTC().Format(time.RFC3339)) {
		t.Errorf("offline with the list from before: exit %d\n%s", code, out)
	}

	// Online: revoked, with date and reason, checked online.
	body, _ := json.Marshal(map[string]string{"payload": c.payload})
	code, b := s.call(t, "POST", "/v1/verify", "", bytes.NewReader(body))
	r = revocationResult{}
	if err := json.Unmarshal(b, &r); err != nil || code != 200 || r.Status != "revoked" || !r.CheckedOnline ||
		r.Revocation == nil || r.Revocation.Checked != "online" || r.Certificate == nil || r.Certificate.RevokeReason != "证件信息有误" ||
		r.Certificate.RevokedAt == nil {
		t.Errorf("online verification = %d %s", code, b)
	}
}

// TestVerifyRevocationsOffline: `roadcheck verify --revocations` with a valid, a revoked, a
// stale and a tampered list.
func TestVerifyRevocationsOffline(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	ks, err := keystore.OpenWith(filepath.Join(dir, "issuer-keys"), keystore.Options{Now: func() time.Time { return now.Add(-10 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(id string) string {
		t.Helper()
		c := certs.Certificate{ID: id, Type: certs.TypeAnnualReview, IssuedAt: now.Add(-9 * time.Hour), ExpiresAt: now.AddDate(1, 0, 0),
			Plate: "豫A12345", PlateColour: "yellow", ReviewDate: now.Format("2006-01-02")}
		p, err := ks.Issue(c)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid, revoked := issue("AAAAAAAAAAAAAAAA"), issue("BBBBBBBBBBBBBBBB")
	tl, err := ks.TrustList()
	if err != nil {
		t.Fatal(err)
	}
	tlBytes, _ := tl.MarshalIndent()
	trustFile := writeTemp(t, dir, "trust.json", tlBytes)
	list := func(ks *keystore.KeyStore, at time.Time) []byte {
		t.Helper()
		l, err := ks.SignRevocations(at, []certs.Revocation{{ID: "BBBBBBBBBBBBBBBB", RevokedAt: now.Add(-8 * time.Hour), Reason: "证件遗失"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := l.MarshalIndent()
		return b
	}
	fresh := list(ks, now.Add(-time.Minute))
	stale := list(ks, now.Add(-7*time.Hour))
	other, err := keystore.Open(filepath.Join(dir, "forger-keys"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"fresh":    writeTemp(t, dir, "fresh.json", fresh),
		"stale":    writeTemp(t, dir, "stale.json", stale),
		"tampered": writeTemp(t, dir, "tampered.json", bytes.Replace(fresh, []byte("BBBBBBBBBBBBBBBB"), []byte("CCCCCCCCCCCCCCCC"), 1)),
		"forged":   writeTemp(t, dir, "forged.json", list(other, now)),
	}
	cases := []struct {
		name, list, payload string
		exit                int
		status              string
		checked, state      string
		inError             string
	}{
		{"valid, fresh list", "fresh", valid, 0, "valid", "list", "fresh", ""},
		{"revoked, fresh list", "fresh", revoked, 1, "revoked", "list", "fresh", ""},
		{"valid, stale list", "stale", valid, 3, "valid", "list", "stale", "stale"},
		{"revoked, stale list", "stale", revoked, 1, "revoked", "list", "stale", ""},
		{"revoked, tampered list", "tampered", revoked, 2, "valid", "none", "tampered", "tampered"},
		{"valid, tampered list", "tampered", valid, 2, "valid", "none", "tampered", "tampered"},
		{"revoked, list by an unknown key", "forged", revoked, 2, "valid", "none", "tampered", "not in the trust list"},
		{"revoked, no list", "", revoked, 0, "valid", "none", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"--trust", trustFile, "--payload", c.payload}
			if c.list != "" {
				args = append(args, "--revocations", files[c.list])
			}
			code, out, err := runVerify(t, dir, args...)
			var r revocationResult
			if jerr := json.Unmarshal([]byte(out), &r); jerr != nil || r.Revocation == nil {
				t.Fatalf("output: %v\n%s", jerr, out)
			}
			if code != c.exit || r.Status != c.status || r.Revocation.Checked != c.checked || r.Revocation.State != c.state {
				t.Errorf("exit %d status %s revocation %+v, want %d %s %s/%s\n%s", code, r.Status, r.Revocation, c.exit, c.status, c.checked, c.state, out)
			}
			if c.inError != "" && (err == nil || !strings.Contains(err.Error(), c.inError)) {
				t.Errorf("error %v does not say %q", err, c.inError)
			}
			if c.status == "revoked" && (r.Certificate.RevokeReason != "证件遗失" || r.Certificate.RevokedAt == nil) {
				t.Errorf("revoked without date and reason: %+v", r.Certificate)
			}
			if c.checked == "list" && (r.Revocation.AsOf == nil || r.Revocation.AsOf.Before(now.Add(-8*time.Hour))) {
				t.Errorf("as_of %v", r.Revocation.AsOf)
			}
		})
	}
	// Text: the verdict says as of when revocation was checked, or why it was not.
	_, out, _ := runVerify(t, dir, "--trust", trustFile, "--revocations", files["fresh"], "--text", "--payload", revoked)
	if !strings.Contains(out, "status: revoked") || !strings.Contains(out, "证件遗失") || !strings.Contains(out, "revocation status as of ") {
		t.Errorf("text verdict:\n%s", out)
	}
	_, out, _ = runVerify(t, dir, "--trust", trustFile, "--revocations", files["tampered"], "--text", "--payload", valid)
	if !strings.Contains(out, "revocation status unknown") || strings.Contains(out, "as of") {
		t.Errorf("text verdict with a tampered list:\n%s", out)
	}
	// A missing list file is bad input.
	if code, _, _ := runVerify(t, dir, "--trust", trustFile, "--revocations", filepath.Join(dir, "none.json"), "--payload", valid); code != 2 {
		t.Errorf("missing list file: exit %d", code)
	}
}
