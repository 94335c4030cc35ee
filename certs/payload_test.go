package certs

import (
	"errors"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/certs/cose"
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
		c.QualNo = "Q41" + strings.Repeat("*", MaxQualNoLen-7) + "0001"
	case CertAnnualReview:
		c.Plate = strings.Repeat("豫", MaxPlateLen/3) + strings.Repeat("A", MaxPlateLen%3)
		c.PlateColour, c.Result, c.ReviewDate = PlateYellowGreen, ResultPass, 21991231
	}
	return c
}

// TestLongestPayloadFitsBudget fails when the claim limits allow a payload over design.md's
// budget: ≤ 200 signed bytes and ≤ 311 characters (QR version 10 at level M; render's
// TestLongestPayloadFitsQR checks the QR code itself).
func TestLongestPayloadFitsBudget(t *testing.T) {
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
	}
	// The budget itself: MaxSignedBytes is at most 304 characters, which fit version 10 at
	// level M (311 alphanumeric; render's TestLongestPayloadFitsQR encodes and reads them).
	if MaxPayloadLen > 304 {
		t.Fatalf("MaxPayloadLen %d", MaxPayloadLen)
	}
}

func TestParsePayloadErrors(t *testing.T) {
	good, err := SignClaims(testSigner(), claimsAs(t, driverCert(t), "HA"))
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
	m, _ := cose.SignSign1(testSigner(), b)
	p, _ := EncodePayload(m)
	if _, _, err := ParsePayload(p); !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("claims version 2: %v", err)
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
