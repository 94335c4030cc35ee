package keystore

import (
	"errors"
	"testing"

	"github.com/roadcheck/roadcheck/certs"
)

// TestOneCharacterChangeNeverVerifies replaces every character of valid payloads with every
// other character of the Base45 alphabet: none may verify as valid.
func TestOneCharacterChangeNeverVerifies(t *testing.T) {
	ks := testStore(t)
	tl := testTrustList(t, ks)
	for _, c := range []certs.Certificate{driverCert(t), vehicleCert(t)} {
		payload, err := ks.Issue(c)
		if err != nil {
			t.Fatal(err)
		}
		if r := certs.Verify(payload, tl, testNow, nil); r.Status != certs.StatusValid {
			t.Fatalf("original: %+v", r)
		}
		b := []byte(payload)
		n := 0
		statuses := map[string]int{}
		for i := range b {
			orig := b[i]
			for j := 0; j < len(base45Alphabet); j++ {
				if base45Alphabet[j] == orig {
					continue
				}
				b[i] = base45Alphabet[j]
				r := certs.Verify(string(b), tl, testNow, nil)
				if r.Status == certs.StatusValid {
					t.Fatalf("position %d changed to %q still verifies", i, base45Alphabet[j])
				}
				statuses[r.Status]++
				n++
			}
			b[i] = orig
		}
		t.Logf("%s: %d variants, statuses %v", c.Type, n, statuses)
	}
}

func FuzzParsePayload(f *testing.F) {
	ks := testStore(f)
	tl := testTrustList(f, ks)
	seeds := map[string]bool{}
	for _, c := range []certs.Certificate{driverCert(f), vehicleCert(f)} {
		p, err := ks.Issue(c)
		if err != nil {
			f.Fatal(err)
		}
		seeds[p] = true
		f.Add(p)
	}
	for _, s := range []string{"", "RC1:", "RC2:ABC", "RC1:GGW", "RC1:BB8", "RC1:%69 VD92EX0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, c, err := certs.ParsePayload(s)
		if err == nil {
			// Whatever parses re-encodes to the same string: there is one encoding per message.
			again, err := certs.EncodePayload(m)
			if err != nil || again != s {
				t.Fatalf("re-encoding %q gives %q, %v", s, again, err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("parsed invalid claims: %v", err)
			}
		} else if !errors.Is(err, certs.ErrMalformed) && !errors.Is(err, certs.ErrUnsupportedVersion) {
			t.Fatalf("untyped error %v", err)
		}
		// Only the issuer's own payloads can be valid (Ed25519 is unforgeable).
		if r := certs.Verify(s, tl, testNow, nil); r.Status == certs.StatusValid && !seeds[s] {
			t.Fatalf("forged payload verifies: %q", s)
		}
	})
}

// base45Alphabet is RFC 9285's alphabet, the characters a payload is made of.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
