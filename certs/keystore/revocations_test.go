package keystore

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// testRevocations are two revocations given out of order and in another zone.
func testRevocations() []certs.Revocation {
	return []certs.Revocation{
		{ID: "M3R8C6ZP2KFJ7LWN", RevokedAt: testNow.Add(-2 * time.Hour), Reason: "证件信息有误"},
		{ID: "K7Q2M4XW9TBC3HDA", RevokedAt: testNow.Add(-30*time.Hour + 500*time.Millisecond), Reason: "考核材料造假"},
	}
}

func signedRevocations(t testing.TB, ks *KeyStore, at time.Time) []byte {
	t.Helper()
	l, err := ks.SignRevocations(at, testRevocations())
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// editJSON decodes b, lets edit change it, and encodes it again.
func editJSON(t testing.TB, b []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func entry(m map[string]any, i int) map[string]any { return m["revoked"].([]any)[i].(map[string]any) }

func TestSignRevocations(t *testing.T) {
	ks := testStore(t)
	l, err := ks.SignRevocations(testNow, testRevocations())
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != 1 || l.Issuer != "HA" || !l.IssuedAt.Equal(testNow) || l.IssuedAt.Location() != time.UTC ||
		!l.NextUpdate.Equal(testNow.Add(6*time.Hour)) || len(l.Signed) != 1 {
		t.Fatalf("list %+v", l)
	}
	if l.Revoked[0].ID != "K7Q2M4XW9TBC3HDA" || l.Revoked[1].ID != "M3R8C6ZP2KFJ7LWN" {
		t.Errorf("not sorted by id: %+v", l.Revoked)
	}
	if got := l.Revoked[0].RevokedAt; got.Nanosecond() != 0 || got.Location() != time.UTC {
		t.Errorf("revoked_at %v: want UTC to the second", got)
	}
	b, _ := l.MarshalIndent()
	for _, want := range []string{`"issued_at": "2026-12-05T02:30:00Z"`, `"next_update": "2026-12-05T08:30:00Z"`, `"reason": "证件信息有误"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("list lacks %s:\n%s", want, b)
		}
	}
	// The same content signs to the same bytes.
	if again := signedRevocations(t, ks, testNow); string(again) != string(b) {
		t.Error("two signings of the same list differ")
	}
	// An empty list is [] (not null), and duplicates are refused.
	empty, err := ks.SignRevocations(testNow, nil)
	if eb, _ := json.Marshal(empty); err != nil || !strings.Contains(string(eb), `"revoked":[]`) {
		t.Errorf("empty list = %s, %v", eb, err)
	}
	dup := append(testRevocations(), testRevocations()[0])
	if _, err := ks.SignRevocations(testNow, dup); err == nil {
		t.Error("signed a list with a duplicate id")
	}
	// After a rotation the new active key signs first and the retired one co-signs.
	first, _ := ks.Active()
	second, err := ks.Rotate(testNow)
	if err != nil {
		t.Fatal(err)
	}
	l, err = ks.SignRevocations(testNow, nil)
	if err != nil || len(l.Signed) != 2 || l.Signed[0].KID != second.KID || l.Signed[1].KID != first.KID {
		t.Errorf("after rotation: %+v %v", l.Signed, err)
	}
}

func TestParseRevocationList(t *testing.T) {
	ks := testStore(t)
	tlBytes, _ := testTrustList(t, ks).MarshalIndent()
	active, _ := ks.Active()
	tl, err := certs.ParseTrustList(tlBytes)
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := certs.ParseTrustList(tlBytes, active.KID)
	if err != nil {
		t.Fatal(err)
	}
	list := signedRevocations(t, ks, testNow)
	other := testStore(t) // another issuer's keys (same code "HA": only the keys differ)
	otherTL := testTrustList(t, other)
	otherList := signedRevocations(t, other, testNow)

	// A list whose signature is replaced by one of another key the trust list does not know.
	foreignSig := editJSON(t, list, func(m map[string]any) {
		var o map[string]any
		_ = json.Unmarshal(otherList, &o)
		m["signed"] = o["signed"]
	})
	// The right kid with a signature that is not over this list.
	badSig := editJSON(t, list, func(m map[string]any) {
		var o map[string]any
		_ = json.Unmarshal(otherList, &o)
		m["signed"].([]any)[0].(map[string]any)["sig"] = o["signed"].([]any)[0].(map[string]any)["sig"]
	})
	// One byte of the raw file edited (a reason's character), formatting kept.
	rawEdited := []byte(strings.Replace(string(list), "证件信息有误", "证件信息有無", 1))
	cases := []struct {
		name  string
		b     []byte
		tl    *certs.TrustList
		now   time.Time
		state certs.RevocationState
		err   error
	}{
		{"fresh", list, tl, testNow.Add(time.Hour), certs.RevocationFresh, nil},
		{"fresh at issued_at", list, tl, testNow, certs.RevocationFresh, nil},
		{"fresh at next_update", list, tl, testNow.Add(certs.RevocationListValidity), certs.RevocationFresh, nil},
		{"compact form", mustCompact(t, list), tl, testNow, certs.RevocationFresh, nil},
		{"pinned trust list", list, pinned, testNow, certs.RevocationFresh, nil},
		{"stale", list, tl, testNow.Add(certs.RevocationListValidity + time.Second), certs.RevocationStale, certs.ErrRevocationListStale},
		{"stale days later", list, pinned, testNow.AddDate(0, 0, 3), certs.RevocationStale, certs.ErrRevocationListStale},
		{"tampered signature", badSig, tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"raw bytes edited", rawEdited, tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"entry reason edited", editJSON(t, list, func(m map[string]any) { entry(m, 0)["reason"] = "x" }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"entry removed", editJSON(t, list, func(m map[string]any) { m["revoked"] = m["revoked"].([]any)[1:] }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"all entries removed", editJSON(t, list, func(m map[string]any) { m["revoked"] = []any{} }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"entry date edited", editJSON(t, list, func(m map[string]any) { entry(m, 1)["revoked_at"] = "2027-01-01T00:00:00Z" }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"next_update extended", editJSON(t, list, func(m map[string]any) { m["next_update"] = "2099-01-01T00:00:00Z" }), tl, testNow.AddDate(0, 0, 3), certs.RevocationTampered, certs.ErrRevocationList},
		{"field added", editJSON(t, list, func(m map[string]any) { m["note"] = "ok" }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"unsigned", editJSON(t, list, func(m map[string]any) { delete(m, "signed") }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"unknown key", foreignSig, tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"another issuer's list", otherList, tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"pinned trust list, a forger's list", otherList, pinned, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"the forger's own trust list", otherList, otherTL, testNow, certs.RevocationFresh, nil},
		{"no trust list", list, nil, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"not JSON", []byte("revoked: none"), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"trailing data", append(append([]byte{}, list...), []byte(` {"revoked":[]}`)...), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"version 2", editJSON(t, list, func(m map[string]any) { m["version"] = 2 }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"issuer changed", editJSON(t, list, func(m map[string]any) { m["issuer"] = "BJ" }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
		{"malformed kid", editJSON(t, list, func(m map[string]any) { m["signed"].([]any)[0].(map[string]any)["kid"] = "zz" }), tl, testNow, certs.RevocationTampered, certs.ErrRevocationList},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, state, err := certs.ParseRevocationList(c.b, c.tl, c.now)
			if state != c.state || !errors.Is(err, c.err) || (c.err == nil && err != nil) {
				t.Fatalf("= %s, %v; want %s, %v", state, err, c.state, c.err)
			}
			switch state {
			case certs.RevocationTampered:
				if l != nil {
					t.Errorf("a tampered list was returned: %+v", l)
				}
			default:
				if l == nil || len(l.Revoked) != 2 {
					t.Fatalf("list %+v", l)
				}
				if rv, ok := l.Lookup("M3R8C6ZP2KFJ7LWN"); !ok || rv.Reason != "证件信息有误" || !rv.RevokedAt.Equal(testNow.Add(-2*time.Hour)) {
					t.Errorf("lookup = %+v %v", rv, ok)
				}
				if _, ok := l.Lookup("AAAAAAAAAAAAAAAA"); ok {
					t.Error("lookup found an id not in the list")
				}
			}
		})
	}
}

func mustCompact(t testing.TB, b []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return out
}

// A verifier whose trust list predates a rotation still accepts lists signed after it (the
// retired key co-signs); once that key is revoked and the verifier refreshes its trust list, a
// list signed by it alone is tampered.
func TestRevocationListAcrossRotation(t *testing.T) {
	ks := testStore(t)
	old := testTrustList(t, ks)
	first, _ := ks.Active()
	if _, err := ks.Rotate(testNow); err != nil {
		t.Fatal(err)
	}
	list := signedRevocations(t, ks, testNow)
	if _, state, err := certs.ParseRevocationList(list, old, testNow); state != certs.RevocationFresh || err != nil {
		t.Errorf("old trust list: %s %v", state, err)
	}
	onlyOld := editJSON(t, list, func(m map[string]any) { m["signed"] = m["signed"].([]any)[1:] })
	if err := ks.RevokeKey(first.KID, testNow); err != nil {
		t.Fatal(err)
	}
	current := testTrustList(t, ks)
	if _, state, err := certs.ParseRevocationList(onlyOld, current, testNow); state != certs.RevocationTampered || err == nil {
		t.Errorf("signed by a revoked key only: %s %v", state, err)
	}
	if _, state, err := certs.ParseRevocationList(signedRevocations(t, ks, testNow), current, testNow); state != certs.RevocationFresh || err != nil {
		t.Errorf("current list: %s %v", state, err)
	}
}

// ApplyRevocationList: a revoked certificate gets its date and reason; the result says how and
// as of when revocation was checked; a tampered list is never a "not revoked".
func TestApplyRevocationList(t *testing.T) {
	ks := testStore(t)
	tl := testTrustList(t, ks)
	revoked, err := ks.Issue(driverCert(t)) // K7Q2M4XW9TBC3HDA, in testRevocations
	if err != nil {
		t.Fatal(err)
	}
	vc := driverCert(t)
	vc.ID = "AAAAAAAAAAAAAAAA"
	valid, err := ks.Issue(vc)
	if err != nil {
		t.Fatal(err)
	}
	listBytes := signedRevocations(t, ks, testNow)
	check := func(payload string, b []byte, now time.Time) certs.Result {
		l, state, _ := certs.ParseRevocationList(b, tl, now)
		r := certs.Verify(payload, tl, now, l.IsRevoked)
		certs.ApplyRevocationList(&r, l, state)
		return r
	}
	r := check(revoked, listBytes, testNow)
	if r.Status != certs.StatusRevoked || r.Certificate.RevokeReason != "考核材料造假" || r.Certificate.RevokedAt == nil ||
		!r.Certificate.RevokedAt.Equal(testNow.Add(-30*time.Hour)) {
		t.Errorf("revoked: %+v %+v", r, r.Certificate)
	}
	if r.Revocation.Checked != "list" || r.Revocation.State != certs.RevocationFresh || !r.Revocation.AsOf.Equal(testNow) {
		t.Errorf("revocation check %+v", r.Revocation)
	}
	out, _ := json.Marshal(r)
	for _, want := range []string{`"revocation":{"checked":"list","as_of":"2026-12-05T02:30:00Z","state":"fresh"}`, `"revoke_reason":"考核材料造假"`, `"revoked_at":"2026-12-03T20:30:00Z"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("result JSON lacks %s: %s", want, out)
		}
	}
	if r := check(valid, listBytes, testNow); r.Status != certs.StatusValid || r.Certificate.RevokedAt != nil || r.Revocation.State != certs.RevocationFresh {
		t.Errorf("valid: %+v", r)
	}
	// Stale: still says revoked (an entry stays true); a valid answer carries the stale state.
	later := testNow.Add(7 * time.Hour)
	if r := check(revoked, listBytes, later); r.Status != certs.StatusRevoked || r.Revocation.State != certs.RevocationStale || r.Revocation.Checked != "list" {
		t.Errorf("stale revoked: %+v %+v", r, r.Revocation)
	}
	if r := check(valid, listBytes, later); r.Status != certs.StatusValid || r.Revocation.State != certs.RevocationStale {
		t.Errorf("stale valid: %+v %+v", r, r.Revocation)
	}
	// Tampered: not used at all, revocation not checked.
	edited := []byte(strings.Replace(string(listBytes), "证件信息有误", "证件信息有無", 1))
	r = check(revoked, edited, testNow)
	if r.Revocation.Checked != "none" || r.Revocation.State != certs.RevocationTampered || r.Revocation.AsOf != nil || r.Certificate.RevokedAt != nil {
		t.Errorf("tampered: %+v %+v", r, r.Revocation)
	}
}
