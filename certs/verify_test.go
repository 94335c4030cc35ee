package certs

import (
	"encoding/json"
	"testing"
	"time"
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
	earlyPayload, err := SignClaims(signer, early)
	if err != nil {
		t.Fatal(err)
	}
	// Another issuer's claims under this key.
	foreign := claimsAs(t, c, "BJ")
	foreignPayload, _ := SignClaims(signer, foreign)
	// A valid structure with a wrong signature.
	m, _, _ := ParsePayload(payload)
	m.Signature[10] ^= 1
	badSig, _ := EncodePayload(m)
	// Claims of a newer version, signed by the trusted key.
	v2 := claimsAs(t, c, "HA")
	v2.Version = 2
	b, _ := encMode.Marshal(v2)
	m2, _ := SignSign1(signer, b)
	v2Payload, _ := EncodePayload(m2)

	for _, tc := range []struct {
		name    string
		payload string
		tl      *TrustList
		now     time.Time
		revoked func(string) bool
		want    string
	}{
		{"valid", payload, tl, testNow, never, StatusValid},
		{"valid without revocation check", payload, tl, testNow, nil, StatusValid},
		{"clock 4 min behind iat", payload, tl, testNow.Add(-4 * time.Minute), nil, StatusValid},
		{"clock 6 min behind iat", payload, tl, testNow.Add(-6 * time.Minute), nil, StatusNotYetValid},
		{"4 min after exp", payload, tl, exp.Add(4 * time.Minute), nil, StatusValid},
		{"6 min after exp", payload, tl, exp.Add(6 * time.Minute), nil, StatusExpired},
		{"revoked", payload, tl, testNow, always, StatusRevoked},
		{"expired beats revoked", payload, tl, exp.Add(time.Hour), always, StatusExpired},
		{"other trust list", payload, other, testNow, nil, StatusUnknownKey},
		{"no trust list", payload, nil, testNow, nil, StatusUnknownKey},
		{"foreign issuer", foreignPayload, tl, testNow, nil, StatusUnknownKey},
		{"iat before key window", earlyPayload, tl, testNow, nil, StatusKeyNotValidAtIssuance},
		{"bad signature", badSig, tl, testNow, nil, StatusInvalidSignature},
		{"garbage", "hello", tl, testNow, nil, StatusMalformed},
		{"other prefix version", "RC2:" + payload[4:], tl, testNow, nil, StatusUnsupportedVersion},
		{"claims version 2", v2Payload, tl, testNow, nil, StatusUnsupportedVersion},
	} {
		r := Verify(tc.payload, tc.tl, tc.now, tc.revoked)
		if r.Status != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.name, r.Status, r.Detail, tc.want)
			continue
		}
		authenticated := r.Status == StatusValid || r.Status == StatusExpired || r.Status == StatusNotYetValid || r.Status == StatusRevoked
		if authenticated != (r.Certificate != nil) {
			t.Errorf("%s: certificate shown = %v", tc.name, r.Certificate != nil)
		}
	}

	r := Verify(payload, tl, testNow, nil)
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
func claimsAs(t *testing.T, c Certificate, issuer string) Claims {
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
	if r := Verify(old, tl, later, nil); r.Status != StatusValid || r.KID != oldKey.KID {
		t.Fatalf("old certificate after rotation: %+v", r)
	}
	c.IssuedAt = rot.Add(time.Minute)
	fresh, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(fresh, tl, later, nil); r.Status != StatusValid || r.KID != newKey.KID {
		t.Fatalf("new certificate: %+v", r)
	}
	// The retired key signing after its window closed (a stolen retired key) is refused once
	// past the rotation grace.
	c.IssuedAt = rot.Add(ClockSkew + time.Second)
	cl := claimsAs(t, c, "HA")
	stolen, _ := SignClaims(oldSigner, cl)
	if r := Verify(stolen, tl, later, nil); r.Status != StatusKeyNotValidAtIssuance {
		t.Fatalf("retired key after its window: %+v", r)
	}
	// An iat from before the rotation (captured before it, signed after) is signed by the
	// retired key, whose window holds it; an iat before every window is refused.
	c.IssuedAt = rot.Add(-time.Second)
	inflight, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(inflight, tl, later, nil); r.Status != StatusValid || r.KID != oldKey.KID {
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
	if r := Verify(old, testTrustList(t, ks), later, nil); r.Status != StatusKeyNotValidAtIssuance {
		t.Fatalf("certificate of a revoked key: %+v", r)
	}
}
