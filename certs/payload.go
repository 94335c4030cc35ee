package certs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/roadcheck/roadcheck/certs/cose"
)

// CBOR modes of the claims are COSE's (certs/cose): deterministic encoding, and decoders that
// refuse everything EncodeClaims never writes (indefinite lengths, duplicate keys, unknown
// fields, tags, deep nesting); the tag-tolerant one reads the version of claims that may be of
// another version.
var (
	encMode   = cose.EncMode()
	strictDec = cose.StrictDecMode()
	tagDec    = cose.TagDecMode()
)

// PayloadPrefix starts every payload; the digit is the payload format version.
const PayloadPrefix = "RC1:"

// MaxSignedBytes is design.md's budget for the COSE_Sign1 message: at ≤ 200 bytes the payload
// (prefix + Base45) is ≤ 304 characters and fits QR version 10, level M (311 alphanumeric).
const MaxSignedBytes = 200

// MaxPayloadLen is the longest payload string: the prefix and MaxSignedBytes in Base45.
const MaxPayloadLen = len(PayloadPrefix) + MaxSignedBytes/2*3 + MaxSignedBytes%2*2

// Parse errors; test with errors.Is. They map to the statuses malformed and unsupported_version.
var (
	ErrMalformed          = errors.New("malformed")
	ErrUnsupportedVersion = errors.New("unsupported_version")
)

// EncodePayload turns a signed message into the QR payload string.
func EncodePayload(m *cose.Sign1) (string, error) {
	b, err := m.Encode()
	if err != nil {
		return "", err
	}
	if len(b) > MaxSignedBytes {
		return "", fmt.Errorf("certs: signed certificate is %d bytes, over the %d-byte budget", len(b), MaxSignedBytes)
	}
	return PayloadPrefix + Base45Encode(b), nil
}

// ParsePayload parses a payload string without checking its signature: use Verify for that.
// Errors wrap ErrMalformed or ErrUnsupportedVersion.
func ParsePayload(s string) (*cose.Sign1, Claims, error) {
	m, err := parseSign1Payload(s)
	if err != nil {
		return nil, Claims{}, err
	}
	c, err := DecodeClaims(m.Payload)
	if err != nil {
		return nil, Claims{}, err
	}
	return m, c, nil
}

func parseSign1Payload(s string) (*cose.Sign1, error) {
	if !strings.HasPrefix(s, PayloadPrefix) {
		if isOtherVersionPrefix(s) {
			return nil, fmt.Errorf("%w: payload prefix %q", ErrUnsupportedVersion, s[:strings.IndexByte(s, ':')+1])
		}
		return nil, fmt.Errorf("%w: no %s prefix", ErrMalformed, PayloadPrefix)
	}
	if len(s) > MaxPayloadLen {
		return nil, fmt.Errorf("%w: payload longer than %d characters", ErrMalformed, MaxPayloadLen)
	}
	b, err := Base45Decode(s[len(PayloadPrefix):])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	m, err := cose.DecodeSign1(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

// isOtherVersionPrefix reports "RC<digits>:" with another version: a later format, not garbage.
func isOtherVersionPrefix(s string) bool {
	if !strings.HasPrefix(s, "RC") {
		return false
	}
	i := 2
	for i < len(s) && i < 8 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 2 && i < len(s) && s[i] == ':'
}

// DecodeClaims decodes CBOR claims: an unknown version is ErrUnsupportedVersion, anything else
// that is not valid version-1 claims is ErrMalformed.
func DecodeClaims(b []byte) (Claims, error) {
	var v struct {
		Version int `cbor:"1,keyasint"`
	}
	if err := tagDec.Unmarshal(b, &v); err != nil {
		return Claims{}, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	if v.Version != ClaimsVersion {
		if v.Version > ClaimsVersion {
			return Claims{}, fmt.Errorf("%w: claims version %d", ErrUnsupportedVersion, v.Version)
		}
		return Claims{}, fmt.Errorf("%w: claims version %d", ErrMalformed, v.Version)
	}
	var c Claims
	if err := strictDec.Unmarshal(b, &c); err != nil {
		return Claims{}, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	if err := c.Validate(); err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return c, nil
}

// EncodeClaims validates and encodes claims (deterministic CBOR).
func EncodeClaims(c Claims) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return encMode.Marshal(c)
}

// SignClaims validates, encodes and signs claims and returns the payload string.
func SignClaims(s cose.Signer, c Claims) (string, error) {
	b, err := EncodeClaims(c)
	if err != nil {
		return "", err
	}
	m, err := cose.SignSign1(s, b)
	if err != nil {
		return "", err
	}
	return EncodePayload(m)
}
