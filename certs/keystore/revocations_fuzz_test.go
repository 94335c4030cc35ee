package keystore

import (
	"errors"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// FuzzParseRevocationList feeds a downloaded revocation list's bytes, as `roadcheck verify
// --revocations` reads them, to the parser with a fixed trust list: it must never panic, refuse
// with ErrRevocationList (and no list) or accept a list that is signed by the trust list's key,
// well-formed, and parses the same after a round trip.
func FuzzParseRevocationList(f *testing.F) {
	ks := testStore(f)
	tl := testTrustList(f, ks)
	now := testNow.Add(time.Hour)
	f.Add(signedRevocations(f, ks, testNow))
	f.Add(signedRevocations(f, ks, testNow.Add(-7*time.Hour)))
	f.Add(signedRevocations(f, testStore(f), testNow))
	f.Add([]byte(`{"version":1,"issuer":"HA","issued_at":"2026-12-05T02:30:00Z","next_update":"2026-12-05T08:30:00Z","revoked":[],"signed":[]}`))
	f.Add([]byte(`{"version":1,"revoked":[{"id":"","revoked_at":"x"}],"signed":[{"kid":"0011223344556677","alg":"EdDSA","sig":"AA"}]}`))
	f.Add([]byte(`{"a":"\ud800","b":1e999,"c":[{"d":-0.0}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, state, err := certs.ParseRevocationList(b, tl, now)
		switch state {
		case certs.RevocationTampered:
			if l != nil || !errors.Is(err, certs.ErrRevocationList) {
				t.Fatalf("tampered with list %v, error %v", l, err)
			}
			return
		case certs.RevocationStale:
			if !errors.Is(err, certs.ErrRevocationListStale) || !now.After(l.NextUpdate) {
				t.Fatalf("stale: %v, next_update %v", err, l.NextUpdate)
			}
		case certs.RevocationFresh:
			if err != nil || now.After(l.NextUpdate) {
				t.Fatalf("fresh: %v, next_update %v", err, l.NextUpdate)
			}
		default:
			t.Fatalf("state %q", state)
		}
		if len(l.Signed) == 0 || !entriesOK(l) || l.Issuer != tl.Issuer {
			t.Fatalf("accepted an unsigned or malformed list: %s", b)
		}
		for _, r := range l.Revoked {
			if got, ok := l.Lookup(r.ID); !ok || got.ID != r.ID {
				t.Fatalf("lookup of listed %q = %v %v", r.ID, got, ok)
			}
		}
		again, err := l.MarshalIndent()
		if err != nil {
			t.Fatal(err)
		}
		if _, state2, _ := certs.ParseRevocationList(again, tl, now); state2 != state {
			t.Fatalf("accepted list is %s after a round trip, was %s\n%s", state2, state, b)
		}
	})
}

// entriesOK is what a list must hold whoever signed it: ids present, sorted and unique, dates
// set.
func entriesOK(l *certs.RevocationList) bool {
	for i, r := range l.Revoked {
		if r.ID == "" || r.RevokedAt.IsZero() || i > 0 && l.Revoked[i-1].ID >= r.ID {
			return false
		}
	}
	return true
}
