package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/verify"
)

var now = time.Date(2026, 12, 5, 10, 30, 0, 0, time.UTC)

type issuer struct {
	trust   []byte
	key     ed25519.PrivateKey
	kid     string
	payload string
	id      string
}

func newIssuer(t *testing.T) issuer {
	t.Helper()
	dir := t.TempDir()
	ks, err := keystore.OpenWith(dir, keystore.Options{Now: func() time.Time { return now.Add(-48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	exp, _ := certs.ValidUntil("2027-12-21")
	c := certs.Certificate{ID: certs.NewCertificateID(), Type: certs.TypeIntegrityAssessment, IssuedAt: now.Add(-time.Hour),
		ExpiresAt: exp, Authority: "河南省交通运输厅", Subject: "张三", IDNumber: "41010519800517002X",
		QualificationNumber: "Q410100000001", Categories: []string{"freight_driver"}, Grade: "AA",
		CycleStart: "2025-12-01", CycleEnd: "2026-12-01"}
	payload, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := ks.TrustList()
	if err != nil {
		t.Fatal(err)
	}
	trust, _ := tl.MarshalIndent()
	act, _ := ks.Active()
	pemBytes, err := os.ReadFile(filepath.Join(dir, act.KID+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pemBytes)
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return issuer{trust: trust, key: k.(ed25519.PrivateKey), kid: act.KID, payload: payload, id: c.ID}
}

// list signs a revocation list (the format of docs/api.md) issued at issued, revoking ids;
// edit, when set, changes the document after signing.
func (is issuer) list(t *testing.T, issued time.Time, ids []string, edit func(map[string]any)) []byte {
	t.Helper()
	revoked := []any{}
	// A list is sorted by id (certificate ids are random: "AAA" may sort after one).
	for _, id := range slices.Sorted(slices.Values(ids)) {
		revoked = append(revoked, map[string]any{"id": id, "revoked_at": issued.Add(-time.Hour).Format(time.RFC3339), "reason": "证件信息有误 <&>"})
	}
	doc := map[string]any{"version": 1, "issuer": "HA", "issued_at": issued.Format(time.RFC3339),
		"next_update": issued.Add(6 * time.Hour).Format(time.RFC3339), "revoked": revoked}
	var msg bytes.Buffer
	e := json.NewEncoder(&msg)
	e.SetEscapeHTML(false)
	_ = e.Encode(doc)
	sig := ed25519.Sign(is.key, bytes.TrimSuffix(msg.Bytes(), []byte("\n")))
	doc["signed"] = []any{map[string]any{"kid": is.kid, "alg": "EdDSA", "sig": base64.RawURLEncoding.EncodeToString(sig)}}
	if edit != nil {
		edit(doc)
	}
	b, _ := json.MarshalIndent(doc, "", " ")
	return b
}

// TestChecker: the page's verdicts from the lists it holds, for each state of the revocation
// list: fresh and stale lists are used (a stale one is reported), a tampered one or one
// signed by a key outside the trust list is not, and no list is reported as such.
func TestChecker(t *testing.T) {
	is := newIssuer(t)
	other := newIssuer(t) // another issuer's key: not in is's trust list
	asOf := now.Add(-time.Hour)
	for _, c := range []struct {
		name        string
		trust, rev  []byte
		status      string
		checked     string
		state       string
		revokedNote bool
	}{
		{"fresh, not listed", is.trust, is.list(t, asOf, []string{"OTHER1"}, nil), certs.StatusValid, checkedList, revFresh, false},
		{"fresh, listed", is.trust, is.list(t, asOf, []string{"AAA", is.id}, nil), certs.StatusRevoked, checkedList, revFresh, true},
		{"stale, listed", is.trust, is.list(t, now.Add(-7*time.Hour), []string{is.id}, nil), certs.StatusRevoked, checkedList, revStale, true},
		{"stale, not listed", is.trust, is.list(t, now.Add(-7*time.Hour), nil, nil), certs.StatusValid, checkedList, revStale, false},
		{"tampered: an entry removed", is.trust, is.list(t, asOf, []string{is.id}, func(d map[string]any) { d["revoked"] = []any{} }), certs.StatusValid, checkedNone, revTampered, false},
		{"tampered: next_update pushed", is.trust, is.list(t, asOf, nil, func(d map[string]any) { d["next_update"] = "2030-01-01T00:00:00Z" }), certs.StatusValid, checkedNone, revTampered, false},
		{"tampered: unsigned", is.trust, is.list(t, asOf, nil, func(d map[string]any) { delete(d, "signed") }), certs.StatusValid, checkedNone, revTampered, false},
		{"signed by another issuer's key", is.trust, other.list(t, asOf, nil, nil), certs.StatusValid, checkedNone, revTampered, false},
		{"no list", is.trust, nil, certs.StatusValid, checkedNone, revMissing, false},
		{"not JSON", is.trust, []byte("<html>"), certs.StatusValid, checkedNone, revMissing, false},
		{"no trust list", nil, is.list(t, asOf, nil, nil), certs.StatusUnknownKey, checkedNone, revMissing, false},
		{"another issuer's trust list", other.trust, nil, certs.StatusUnknownKey, checkedNone, revMissing, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := newChecker(parseRevocations)
			info := ch.setLists(c.trust, c.rev, now)
			if info.TrustList.OK != (c.trust != nil) {
				t.Errorf("trust list: %+v", info.TrustList)
			}
			r := ch.verifyPayload(is.payload, now)
			if r.Status != c.status || r.Revocation.Checked != c.checked || r.Revocation.State != c.state {
				t.Fatalf("got %s, revocation %+v; want %s %s %s", r.Status, r.Revocation, c.status, c.checked, c.state)
			}
			if c.checked == checkedList && r.Revocation.AsOf == "" {
				t.Errorf("no as_of: %+v", r.Revocation)
			}
			if got := r.Certificate != nil && r.Certificate.RevokeReason == "证件信息有误 <&>" && r.Certificate.RevokedAt != ""; got != c.revokedNote {
				t.Errorf("revocation date and reason shown = %v: %+v", got, r.Certificate)
			}
			if c.status != certs.StatusUnknownKey && (r.IssuerName != "河南省交通运输厅" || r.Certificate == nil || r.Certificate.Subject != "张*") {
				t.Errorf("issuer name or certificate: %q %+v", r.IssuerName, r.Certificate)
			}
		})
	}
}

// TestCheckerResultJSON: the result the page reads has the verification result's names
// (docs/api.md), the revocation member, and the certificate's revoked_at and revoke_reason.
func TestCheckerResultJSON(t *testing.T) {
	is := newIssuer(t)
	ch := newChecker(parseRevocations)
	ch.setLists(is.trust, is.list(t, now.Add(-time.Hour), []string{is.id}, nil), now)
	out := mustJSON(ch.verifyPayload(is.payload, now))
	for _, want := range []string{`"status":"revoked"`, `"checked_online":false`, `"revocation":{"checked":"list","as_of":"2026-12-05T09:30:00Z"`,
		`"state":"fresh"`, `"revoke_reason":"证件信息有误 \u003c\u0026\u003e"`, `"revoked_at":"2026-12-05T08:30:00Z"`, `"issuer_name":"河南省交通运输厅"`, `"id_tail":"002X"`} {
		if !strings.Contains(out, want) {
			t.Errorf("result lacks %s: %s", want, out)
		}
	}
	if r := ch.noQR("nothing"); r.Status != certs.StatusNoQRFound || r.Revocation.State != revFresh {
		t.Errorf("noQR: %+v", r)
	}
}

// TestDecodeText: what the page's decoder calls with each frame's answer: a QR text is
// verified, no code is no_qr_found, and anything else is an error the page reports.
func TestDecodeText(t *testing.T) {
	is := newIssuer(t)
	ch := newChecker(parseRevocations)
	ch.setLists(is.trust, nil, now)
	if r, err := ch.decodeText(is.payload, nil, now); err != nil || r.Status != certs.StatusValid {
		t.Errorf("a payload: %s %v", r.Status, err)
	}
	if r, err := ch.decodeText("", fmt.Errorf("frame: %w", verify.ErrNoQR), now); err != nil || r.Status != certs.StatusNoQRFound {
		t.Errorf("no code: %s %v", r.Status, err)
	}
	if _, err := ch.decodeText("", verify.ErrUnreadable, now); !errors.Is(err, verify.ErrUnreadable) {
		t.Errorf("a broken frame: %v", err)
	}
}
