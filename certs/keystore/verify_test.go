package keystore

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/cose"
)

func TestVerifyStatuses(t *testing.T) {
	ks := testStore(t)
	tl := testTrustList(t, ks)
	c := driverCert(t)
	payload, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	exp := c.ExpiresAt
	never := func(string) bool { return false }
	always := func(string) bool { return true }

	other := testTrustList(t, testStore(t))
	act, _ := ks.Active()
	signer := ks.signers[act.KID]

	// Signed by the store's key but with iat before the key's window.
	early := claimsAs(t, c, "HA")
	early.IssuedAt = testNow.Add(-48 * time.Hour).Unix()
	earlyPayload, err := certs.SignClaims(signer, early)
	if err != nil {
		t.Fatal(err)
	}
	// Another issuer's claims under this key.
	foreign := claimsAs(t, c, "BJ")
	foreignPayload, _ := certs.SignClaims(signer, foreign)
	// A valid structure with a wrong signature.
	m, _, _ := certs.ParsePayload(payload)
	m.Signature[10] ^= 1
	badSig, _ := certs.EncodePayload(m)
	// Claims of a newer version, signed by the trusted key.
	v2 := claimsAs(t, c, "HA")
	v2.Version = 2
	b, _ := cbor.Marshal(v2) // not EncodeClaims: version 2 does not validate
	m2, _ := cose.SignSign1(signer, b)
	v2Payload, _ := certs.EncodePayload(m2)

	for _, tc := range []struct {
		name    string
		payload string
		tl      *certs.TrustList
		now     time.Time
		revoked func(string) bool
		want    string
	}{
		{"valid", payload, tl, testNow, never, certs.StatusValid},
		{"valid without revocation check", payload, tl, testNow, nil, certs.StatusValid},
		{"clock 4 min behind iat", payload, tl, testNow.Add(-4 * time.Minute), nil, certs.StatusValid},
		{"clock 6 min behind iat", payload, tl, testNow.Add(-6 * time.Minute), nil, certs.StatusNotYetValid},
		{"4 min after exp", payload, tl, exp.Add(4 * time.Minute), nil, certs.StatusValid},
		{"6 min after exp", payload, tl, exp.Add(6 * time.Minute), nil, certs.StatusExpired},
		{"revoked", payload, tl, testNow, always, certs.StatusRevoked},
		{"expired beats revoked", payload, tl, exp.Add(time.Hour), always, certs.StatusExpired},
		{"other trust list", payload, other, testNow, nil, certs.StatusUnknownKey},
		{"no trust list", payload, nil, testNow, nil, certs.StatusUnknownKey},
		{"foreign issuer", foreignPayload, tl, testNow, nil, certs.StatusUnknownKey},
		{"iat before key window", earlyPayload, tl, testNow, nil, certs.StatusKeyNotValidAtIssuance},
		{"bad signature", badSig, tl, testNow, nil, certs.StatusInvalidSignature},
		{"garbage", "hello", tl, testNow, nil, certs.StatusMalformed},
		{"other prefix version", "RC2:" + payload[4:], tl, testNow, nil, certs.StatusUnsupportedVersion},
		{"claims version 2", v2Payload, tl, testNow, nil, certs.StatusUnsupportedVersion},
	} {
		r := certs.Verify(tc.payload, tc.tl, tc.now, tc.revoked)
		if r.Status != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.name, r.Status, r.Detail, tc.want)
			continue
		}
		authenticated := r.Status == certs.StatusValid || r.Status == certs.StatusExpired || r.Status == certs.StatusNotYetValid || r.Status == certs.StatusRevoked
		if authenticated != (r.Certificate != nil) {
			t.Errorf("%s: certificate shown = %v", tc.name, r.Certificate != nil)
		}
	}

	r := certs.Verify(payload, tl, testNow, nil)
	js, _ := json.Marshal(r)
	var got map[string]any
	json.Unmarshal(js, &got)
	cert := got["certificate"].(map[string]any)
	if cert["subject"] != "张*" || cert["id_tail"] != "002X" || cert["grade"] != "AAA" || cert["type"] != "integrity_assessment" ||
		cert["issued_at"] != "2026-12-05T10:30:00+08:00" || cert["expires_at"] != "2027-12-21T23:59:59+08:00" || cert["issuer"] != "HA" ||
		got["kid"] != act.KID || got["trust_list_version"] != float64(tl.Version) {
		t.Fatalf("result JSON %s", js)
	}
}

// claimsAs is c's claims under issuer, for tests that sign claims by hand.
func claimsAs(t *testing.T, c certs.Certificate, issuer string) certs.Claims {
	t.Helper()
	c.Issuer = issuer
	cl, err := c.Claims()
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// Rotation never voids live certificates: the old key verifies what it signed in its window,
// and only that.
func TestVerifyAcrossRotation(t *testing.T) {
	ks := testStore(t)
	c := driverCert(t)
	old, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	oldKey, _ := ks.Active()
	oldSigner := ks.signers[oldKey.KID]
	rot := testNow.Add(time.Hour)
	newKey, err := ks.Rotate(rot)
	if err != nil {
		t.Fatal(err)
	}
	tl := testTrustList(t, ks)
	later := testNow.Add(30 * 24 * time.Hour)
	if r := certs.Verify(old, tl, later, nil); r.Status != certs.StatusValid || r.KID != oldKey.KID {
		t.Fatalf("old certificate after rotation: %+v", r)
	}
	c.IssuedAt = rot.Add(time.Minute)
	fresh, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	if r := certs.Verify(fresh, tl, later, nil); r.Status != certs.StatusValid || r.KID != newKey.KID {
		t.Fatalf("new certificate: %+v", r)
	}
	// The retired key signing after its window closed (a stolen retired key) is refused once
	// past the rotation grace.
	c.IssuedAt = rot.Add(certs.ClockSkew + time.Second)
	cl := claimsAs(t, c, "HA")
	stolen, _ := certs.SignClaims(oldSigner, cl)
	if r := certs.Verify(stolen, tl, later, nil); r.Status != certs.StatusKeyNotValidAtIssuance {
		t.Fatalf("retired key after its window: %+v", r)
	}
	// An iat from before the rotation (captured before it, signed after) is signed by the
	// retired key, whose window holds it; an iat before every window is refused.
	c.IssuedAt = rot.Add(-time.Second)
	inflight, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	if r := certs.Verify(inflight, tl, later, nil); r.Status != certs.StatusValid || r.KID != oldKey.KID {
		t.Fatalf("in-flight certificate: %+v", r)
	}
	c.IssuedAt = testNow.Add(-48 * time.Hour)
	if _, err := ks.Issue(c); err == nil {
		t.Fatal("issued with iat before every key's window")
	}
	// Revoking the retired key voids what it signed.
	if err := ks.RevokeKey(oldKey.KID, later); err != nil {
		t.Fatal(err)
	}
	if r := certs.Verify(old, testTrustList(t, ks), later, nil); r.Status != certs.StatusKeyNotValidAtIssuance {
		t.Fatalf("certificate of a revoked key: %+v", r)
	}
}

// The algorithms a verifier accepts are a value handed to ParseTrustListWith, not a registry:
// the list keeps them for Verify, and a set without EdDSA accepts no Ed25519 key.
func TestParseTrustListWithAlgorithms(t *testing.T) {
	ks := testStore(t)
	payload, err := ks.Issue(driverCert(t))
	if err != nil {
		t.Fatal(err)
	}
	b, err := testTrustList(t, ks).MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	more := append(cose.Builtin(), cose.AlgorithmSpec{Alg: -65535, Name: "TEST", NewVerifier: cose.NewEd25519Verifier})
	tl, err := certs.ParseTrustListWith(more, b)
	if err != nil {
		t.Fatal(err)
	}
	if r := certs.Verify(payload, tl, testNow, nil); r.Status != certs.StatusValid {
		t.Fatalf("extended set: %s (%s)", r.Status, r.Detail)
	}
	if _, err := certs.ParseTrustListWith(cose.Algorithms{more[1]}, b); !errors.Is(err, certs.ErrTrustList) {
		t.Fatalf("a set without EdDSA accepted an Ed25519 list: %v", err)
	}
	if _, err := certs.ParseTrustList(b); err != nil {
		t.Fatalf("built-in set: %v", err)
	}
}
