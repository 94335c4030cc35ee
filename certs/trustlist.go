package certs

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/certs/cose"
)

// Key statuses in the trust list.
const (
	KeyActive  = "active"  // signs new certificates; exactly one per list
	KeyRetired = "retired" // signed in [sign_from, sign_until]; still verifies what it signed
	KeyRevoked = "revoked" // compromised: nothing it signed verifies
)

// TrustedKey is one public key of the trust list.
type TrustedKey struct {
	KID       string `json:"kid"`        // hex of the 8-byte kid
	Alg       string `json:"alg"`        // "EdDSA"
	PublicKey string `json:"public_key"` // raw public key, base64url without padding
	Issuer    string `json:"issuer"`     // issuer code the key signs for, e.g. "HA"
	SignFrom  string `json:"sign_from"`  // RFC 3339, start of the signing window (inclusive)
	SignUntil string `json:"sign_until"` // RFC 3339, end of the window (inclusive); "" while active
	Status    string `json:"status"`
}

// ListSignature is one signature over the trust list.
type ListSignature struct {
	KID string `json:"kid"`
	Alg string `json:"alg"`
	Sig string `json:"sig"` // base64url without padding
}

// TrustList is the signed list of public keys offline verifiers use (GET /v1/trust-list,
// `roadcheck keys trustlist`).
//
// Signature: each entry of Signed is a detached signature over the canonical JSON of the list
// without its "signed" member: object members sorted by name, no insignificant whitespace,
// strings with minimal escaping, integers as written (RFC 8785 for the strings and integers
// the list holds). The active key always signs; every other non-revoked key whose private key
// the issuer still holds co-signs.
//
// Trust model: a list that verifies against its own keys proves only its integrity (anyone can
// make a self-consistent list). Authenticity comes from how the verifier got it: over TLS from
// the issuer, or by pinning. ParseTrustList's pins name keys the verifier already trusts (a
// kid, or the stronger full SHA-256 fingerprint of the public key, both hex); the list is then
// accepted only if a pinned key signed it. Because retired keys co-sign, a verifier pinned to
// an older key keeps accepting lists across rotations, and learns the new keys from them.
type TrustList struct {
	Version    int             `json:"version"` // increases with every key change
	Issuer     string          `json:"issuer"`
	IssuerName string          `json:"issuer_name,omitempty"`
	UpdatedAt  string          `json:"updated_at"` // RFC 3339, time of the last key change
	Keys       []TrustedKey    `json:"keys"`
	Signed     []ListSignature `json:"signed,omitempty"`

	algs cose.Algorithms // what its keys may use (ParseTrustListWith); nil: cose.Builtin()
}

// algorithms is what the list's keys may use.
func (tl *TrustList) algorithms() cose.Algorithms {
	if tl == nil || tl.algs == nil {
		return cose.Builtin()
	}
	return tl.algs
}

var b64 = base64.RawURLEncoding

// parsedKey is a TrustedKey checked and decoded.
type parsedKey struct {
	*TrustedKey
	alg         cose.Algorithm
	from, until time.Time // until is zero while active
	fingerprint string    // hex SHA-256 of the public key
	verifier    cose.Verifier
}

// Check checks the entry as ParseTrustList does (kid, public key, window, status, issuer),
// for a key of a built-in algorithm.
func (k *TrustedKey) Check() error {
	_, err := parseKey(k, cose.Builtin())
	return err
}

// SignsAt reports whether t lies in the key's signing window, both ends inclusive, to the
// second (iat has one-second resolution and a rotation at second s ends the old window at s).
// A key that does not Check signs at no time.
func (k *TrustedKey) SignsAt(t time.Time) bool {
	p, err := parseKey(k, cose.Builtin())
	return err == nil && p.inWindow(t)
}

func parseKey(k *TrustedKey, algs cose.Algorithms) (*parsedKey, error) {
	spec, ok := algs.ByName(k.Alg)
	if !ok {
		return nil, fmt.Errorf("key %s: unsupported alg %q", k.KID, k.Alg)
	}
	pub, err := b64.DecodeString(k.PublicKey)
	if err != nil || len(pub) == 0 {
		return nil, fmt.Errorf("key %s: bad public_key", k.KID)
	}
	if hex.EncodeToString(cose.KID(pub)) != k.KID {
		return nil, fmt.Errorf("key %s: kid does not match the public key", k.KID)
	}
	from, err := time.Parse(time.RFC3339, k.SignFrom)
	if err != nil {
		return nil, fmt.Errorf("key %s: bad sign_from", k.KID)
	}
	var until time.Time
	if k.SignUntil != "" {
		if until, err = time.Parse(time.RFC3339, k.SignUntil); err != nil || until.Before(from) {
			return nil, fmt.Errorf("key %s: bad sign_until", k.KID)
		}
	}
	switch k.Status {
	case KeyActive:
		if k.SignUntil != "" {
			return nil, fmt.Errorf("key %s: active key with sign_until", k.KID)
		}
	case KeyRetired:
		if k.SignUntil == "" {
			return nil, fmt.Errorf("key %s: retired key without sign_until", k.KID)
		}
	case KeyRevoked:
	default:
		return nil, fmt.Errorf("key %s: bad status %q", k.KID, k.Status)
	}
	if !isCode(k.Issuer, MaxIssuerLen, false) {
		return nil, fmt.Errorf("key %s: bad issuer %q", k.KID, k.Issuer)
	}
	fp := sha256.Sum256(pub)
	p := &parsedKey{TrustedKey: k, alg: spec.Alg, from: from, until: until, fingerprint: hex.EncodeToString(fp[:])}
	if p.verifier, err = spec.NewVerifier(pub); err != nil {
		return nil, fmt.Errorf("key %s: %v", k.KID, err)
	}
	return p, nil
}

// inWindow reports whether t lies in the key's signing window (both ends inclusive, to the
// second: iat has one-second resolution and a rotation at second s ends the old window at s).
func (p *parsedKey) inWindow(t time.Time) bool {
	return !t.Before(p.from) && (p.until.IsZero() || !t.After(p.until))
}

// verifiesAt is inWindow with ClockSkew of grace after the window's end: a certificate that
// another process signed while `roadcheck keys rotate` was closing the window stays valid.
// The grace only ever extends a retired key by minutes; it never lets a key sign earlier.
func (p *parsedKey) verifiesAt(t time.Time) bool {
	return !t.Before(p.from) && (p.until.IsZero() || !t.After(p.until.Add(ClockSkew)))
}

// key finds and parses the key with this kid.
func (tl *TrustList) key(kid []byte) (*parsedKey, error) {
	if tl == nil {
		return nil, nil
	}
	h := hex.EncodeToString(kid)
	for i := range tl.Keys {
		if tl.Keys[i].KID == h {
			return parseKey(&tl.Keys[i], tl.algorithms())
		}
	}
	return nil, nil
}

// canonicalJSON re-encodes a JSON object with sorted members and minimal escaping, dropping the
// top-level "signed" member. It works on the raw bytes, so members this version does not know
// are still covered by the signature.
func canonicalJSON(raw []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data after the list")
	}
	delete(m, "signed")
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(m); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// SigningInput is what each entry of Signed signs: the canonical JSON of the list without its
// "signed" member (see TrustList).
func (tl *TrustList) SigningInput() ([]byte, error) {
	unsigned := *tl
	unsigned.Signed = nil
	raw, err := json.Marshal(&unsigned)
	if err != nil {
		return nil, err
	}
	return canonicalJSON(raw)
}

// MarshalIndent is the list as served and exported (indented for people; signatures do not
// depend on formatting).
func (tl *TrustList) MarshalIndent() ([]byte, error) {
	return json.MarshalIndent(tl, "", "  ")
}

// ErrTrustList wraps every reason ParseTrustList refuses a list.
var ErrTrustList = errors.New("certs: trust list not accepted")

// ParseTrustList decodes a trust list and checks it: well-formed keys (kid = hash of the public
// key, one active key), every signature valid, the active key among the signers, and, when pins
// are given, at least one signature by a pinned key. A pin is a kid (16 hex digits) or the
// SHA-256 fingerprint of a public key (64 hex digits).
func ParseTrustList(b []byte, pins ...string) (*TrustList, error) {
	return ParseTrustListWith(nil, b, pins...)
}

// ParseTrustListWith is ParseTrustList for keys of the algorithms algs (nil: cose.Builtin()),
// for a verifier that accepts another algorithm (SM2). The list keeps algs: Verify and
// ParseRevocationList check signatures with them.
func ParseTrustListWith(algs cose.Algorithms, b []byte, pins ...string) (*TrustList, error) {
	fail := func(format string, a ...any) (*TrustList, error) {
		return nil, fmt.Errorf("%w: %s", ErrTrustList, fmt.Sprintf(format, a...))
	}
	var tl TrustList
	if err := json.Unmarshal(b, &tl); err != nil {
		return fail("%v", err)
	}
	msg, err := canonicalJSON(b)
	if err != nil {
		return fail("%v", err)
	}
	tl.algs = algs
	keys := map[string]*parsedKey{}
	active := 0
	for i := range tl.Keys {
		k, err := parseKey(&tl.Keys[i], tl.algorithms())
		if err != nil {
			return fail("%v", err)
		}
		if keys[k.KID] != nil {
			return fail("duplicate kid %s", k.KID)
		}
		keys[k.KID] = k
		if k.Status == KeyActive {
			active++
		}
	}
	if active != 1 {
		return fail("%d active keys, want 1", active)
	}
	if len(tl.Signed) == 0 {
		return fail("not signed")
	}
	activeSigned, pinned := false, len(pins) == 0
	for _, s := range tl.Signed {
		k := keys[s.KID]
		if k == nil {
			return fail("signed by %s, which is not in the list", s.KID)
		}
		if k.Status == KeyRevoked {
			return fail("signed by revoked key %s", s.KID)
		}
		sig, err := b64.DecodeString(s.Sig)
		if err != nil || s.Alg != k.Alg || !k.verifier.Verify(msg, sig) {
			return fail("bad signature by %s", s.KID)
		}
		if k.Status == KeyActive {
			activeSigned = true
		}
		for _, p := range pins {
			p = strings.ToLower(strings.TrimSpace(p))
			if p == k.KID || p == k.fingerprint {
				pinned = true
			}
		}
	}
	if !activeSigned {
		return fail("not signed by its active key")
	}
	if !pinned {
		return fail("not signed by a pinned key")
	}
	return &tl, nil
}
