package certs

import (
	"errors"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

// longestClaims fills every field of a type to the longest value Validate allows.
func longestClaims(t CertType) Claims {
	c := Claims{
		Version: ClaimsVersion, Issuer: strings.Repeat("Z", MaxIssuerLen), ID: strings.Repeat("z", MaxIDLen),
		IssuedAt: maxClaimTime - 1, ExpiresAt: maxClaimTime, Type: t,
		Subject: strings.Repeat("𠀀", MaxSubjectLen/4), // 4-byte runes: the most bytes per character
	}
	switch t {
	case CertIntegrityAssessment:
		c.IDTail, c.Grade, c.PeriodStart, c.PeriodEnd = "002X", "AAA", 21991230, 21991231
	case CertAnnualReview:
		c.Plate = strings.Repeat("豫", MaxPlateLen/3) + strings.Repeat("A", MaxPlateLen%3)
		c.PlateColour, c.Result, c.ReviewDate = PlateYellowGreen, ResultPass, 21991231
	}
	return c
}

// TestLongestPayloadFitsQR fails when the claim limits allow a payload over design.md's budget:
// ≤ 200 signed bytes and QR version ≤ 10 at level M (311 alphanumeric characters).
func TestLongestPayloadFitsQR(t *testing.T) {
	for _, typ := range []CertType{CertIntegrityAssessment, CertAnnualReview} {
		c := longestClaims(typ)
		if len(c.Subject) != MaxSubjectLen || (typ == CertAnnualReview && len(c.Plate) != MaxPlateLen) {
			t.Fatal("longestClaims is not at the limits")
		}
		payload, err := SignClaims(testSigner(), c)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := ParsePayload(payload)
		if err != nil {
			t.Fatal(err)
		}
		signed, _ := m.Encode()
		t.Logf("%s: longest signed message %d bytes, payload %d characters", typ, len(signed), len(payload))
		if len(signed) > MaxSignedBytes || len(payload) > 311 {
			t.Fatalf("%s: %d bytes / %d characters, over budget", typ, len(signed), len(payload))
		}
		qr, err := EncodeQR(payload)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: QR version %d", typ, qr.Version)
		bmp, _ := gozxing.NewBinaryBitmapFromImage(qr.Image(4))
		res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
		if err != nil || res.GetText() != payload {
			t.Fatalf("QR does not decode back: %v", err)
		}
	}
	// The budget itself: the largest message still fits version 10.
	if _, err := EncodeQR(PayloadPrefix + strings.Repeat("A", Base45EncodedLen(MaxSignedBytes))); err != nil {
		t.Fatal(err)
	}
	if _, err := EncodeQR(PayloadPrefix + strings.Repeat("A", 308)); err == nil {
		t.Fatal("EncodeQR accepted a payload that needs version 11")
	}
}

func TestParsePayloadErrors(t *testing.T) {
	ks := testStore(t)
	good, err := ks.Issue(driverCert(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, c, err := ParsePayload(good); err != nil || c.ID != "K7Q2M4XW9TBC3HDA" {
		t.Fatalf("%v %+v", err, c)
	}
	for in, want := range map[string]error{
		"":                ErrMalformed,
		"hello":           ErrMalformed,
		"RC1:":            ErrMalformed,
		"RC1:GGW":         ErrMalformed,
		"rc1:" + good[4:]: ErrMalformed,
		"RC1:" + Base45Encode([]byte("not cbor")): ErrMalformed,
		"RC2:" + good[4:]:                         ErrUnsupportedVersion,
		"RC10:ABC":                                ErrUnsupportedVersion,
		good + "00":                               ErrMalformed,
		"RC1:" + strings.Repeat("0", MaxPayloadLen): ErrMalformed,
	} {
		if _, _, err := ParsePayload(in); !errors.Is(err, want) {
			t.Errorf("ParsePayload(%.20q): %v, want %v", in, err, want)
		}
	}
	// Claims of an unknown (newer) version, properly signed.
	c, _ := driverCert(t).Claims()
	c.Issuer = "HA"
	c.Version = 2
	b, _ := encMode.Marshal(c)
	m, _ := SignSign1(testSigner(), b)
	p, _ := EncodePayload(m)
	if _, _, err := ParsePayload(p); !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("claims version 2: %v", err)
	}
}

// TestOneCharacterChangeNeverVerifies replaces every character of valid payloads with every
// other character of the Base45 alphabet: none may verify as valid.
func TestOneCharacterChangeNeverVerifies(t *testing.T) {
	ks := testStore(t)
	tl := testTrustList(t, ks)
	for _, c := range []Certificate{driverCert(t), vehicleCert(t)} {
		payload, err := ks.Issue(c)
		if err != nil {
			t.Fatal(err)
		}
		if r := Verify(payload, tl, testNow, nil); r.Status != StatusValid {
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
				r := Verify(string(b), tl, testNow, nil)
				if r.Status == StatusValid {
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
	for _, c := range []Certificate{driverCert(f), vehicleCert(f)} {
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
		m, c, err := ParsePayload(s)
		if err == nil {
			// Whatever parses re-encodes to the same string: there is one encoding per message.
			again, err := EncodePayload(m)
			if err != nil || again != s {
				t.Fatalf("re-encoding %q gives %q, %v", s, again, err)
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("parsed invalid claims: %v", err)
			}
		} else if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupportedVersion) {
			t.Fatalf("untyped error %v", err)
		}
		// Only the issuer's own payloads can be valid (Ed25519 is unforgeable).
		if r := Verify(s, tl, testNow, nil); r.Status == StatusValid && !seeds[s] {
			t.Fatalf("forged payload verifies: %q", s)
		}
	})
}
