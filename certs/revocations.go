package certs

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RevocationListVersion is the only revocation list format this package writes and reads.
const RevocationListVersion = 1

// RevocationListValidity is how long a revocation list vouches for "not revoked": next_update is
// issued_at plus this. The one place the 6 hours are set.
const RevocationListValidity = 6 * time.Hour

// Revocation is one revoked certificate in the list.
type Revocation struct {
	ID        string    `json:"id"`         // certificate id, as in the payload's claims
	RevokedAt time.Time `json:"revoked_at"` // RFC 3339, UTC, to the second
	Reason    string    `json:"reason"`     // as the administrator gave it
}

// RevocationList is the signed list of revoked certificates offline verifiers use
// (GET /v1/revocations, `roadcheck verify --revocations`).
//
// It is signed exactly like the TrustList: detached signatures over the canonical JSON of the
// document without its "signed" member, by the active key and co-signed by every retired key
// whose private key is held. A verifier checks it against a trust list it already holds
// (ParseRevocationList): the trust list says which keys are the issuer's, so a revocation list
// is no more authentic than the trust list it is checked with. Revoked is sorted by ID with no
// duplicates. A list is fresh until NextUpdate; after that it is stale: its entries stay true
// (a revoked certificate stays revoked) but it no longer vouches that a certificate is not
// revoked.
type RevocationList struct {
	Version    int             `json:"version"`
	Issuer     string          `json:"issuer"`
	IssuedAt   time.Time       `json:"issued_at"`
	NextUpdate time.Time       `json:"next_update"`
	Revoked    []Revocation    `json:"revoked"`
	Signed     []ListSignature `json:"signed,omitempty"`
}

// RevocationState is what ParseRevocationList concluded about a list.
type RevocationState string

const (
	// RevocationFresh: signed by a key of the trust list and not past next_update.
	RevocationFresh RevocationState = "fresh"
	// RevocationStale: authentic, but past next_update. Its entries can still say "revoked";
	// "not revoked" from it is only "as of issued_at".
	RevocationStale RevocationState = "stale"
	// RevocationTampered: the signature does not verify (bytes edited, unknown or revoked key,
	// another issuer, malformed). Such a list is never used, for any answer.
	RevocationTampered RevocationState = "tampered"
)

// How a verification result's revocation status was established (RevocationCheck.Checked).
const (
	RevocationCheckedOnline = "online" // the issuer's store, at verification time
	RevocationCheckedList   = "list"   // a signed revocation list, as of its issued_at
	RevocationCheckedNone   = "none"   // not checked (no list, or a tampered one)
)

// RevocationCheck is the "revocation" member of a verification result: how revocation was
// checked, as of when, and in what state the revocation list was (offline checks only).
type RevocationCheck struct {
	Checked string          `json:"checked"`
	AsOf    *time.Time      `json:"as_of,omitempty"`
	State   RevocationState `json:"state,omitempty"`
}

// ErrRevocationList wraps every reason ParseRevocationList finds a list tampered.
var ErrRevocationList = errors.New("certs: revocation list not accepted")

// ErrRevocationListStale is returned, with the list, for a list past its next_update.
var ErrRevocationListStale = errors.New("certs: revocation list is stale")

// NewRevocationList is the unsigned revocation list of issuer as of issuedAt (truncated to the
// second, in UTC), valid for RevocationListValidity, holding revoked sorted by id. Times are
// stored in UTC to the second, so the signed bytes do not depend on the caller's zone or clock
// resolution. The issuer's key store signs it (keystore.KeyStore.SignRevocations).
func NewRevocationList(issuer string, issuedAt time.Time, revoked []Revocation) (*RevocationList, error) {
	at := issuedAt.UTC().Truncate(time.Second)
	l := &RevocationList{
		Version: RevocationListVersion, Issuer: issuer,
		IssuedAt: at, NextUpdate: at.Add(RevocationListValidity),
		Revoked: make([]Revocation, 0, len(revoked)),
	}
	for _, r := range revoked {
		r.RevokedAt = r.RevokedAt.UTC().Truncate(time.Second)
		l.Revoked = append(l.Revoked, r)
	}
	slices.SortFunc(l.Revoked, func(a, b Revocation) int { return strings.Compare(a.ID, b.ID) })
	if err := l.checkEntries(); err != nil {
		return nil, err
	}
	return l, nil
}

// SigningInput is what each entry of Signed signs: the canonical JSON of the list without its
// "signed" member, as for the TrustList.
func (l *RevocationList) SigningInput() ([]byte, error) {
	unsigned := *l
	unsigned.Signed = nil
	raw, err := json.Marshal(&unsigned)
	if err != nil {
		return nil, err
	}
	return canonicalJSON(raw)
}

// checkEntries checks what a list must hold whoever signed it: ids present, sorted and unique,
// dates set.
func (l *RevocationList) checkEntries() error {
	for i, r := range l.Revoked {
		switch {
		case r.ID == "":
			return fmt.Errorf("revoked[%d]: no id", i)
		case r.RevokedAt.IsZero():
			return fmt.Errorf("revoked[%d] (%s): no revoked_at", i, r.ID)
		case i > 0 && l.Revoked[i-1].ID >= r.ID:
			return fmt.Errorf("revoked[%d] (%s): ids not sorted or duplicated", i, r.ID)
		}
	}
	return nil
}

// MarshalIndent is the list as served and exported (indented for people; signatures do not
// depend on formatting).
func (l *RevocationList) MarshalIndent() ([]byte, error) {
	return json.MarshalIndent(l, "", "  ")
}

// ParseRevocationList decodes a revocation list and checks it against the trust list tl at time
// now:
//
//   - tampered (nil list, error wrapping ErrRevocationList) unless: well-formed, version 1, the
//     trust list's issuer, entries sorted and unique, and at least one signature by a key of tl
//     that is not revoked and signs for that issuer; every signature by a key of tl must verify.
//     Signatures by kids tl does not know are ignored (a key newer than the verifier's trust
//     list co-signs with the retired keys the verifier knows), but alone they are tampered.
//   - stale (the list, error wrapping ErrRevocationListStale) when now is after next_update.
//   - fresh (the list, nil error) otherwise.
//
// The trust list is what makes the revocation list authentic: check it first (ParseTrustList,
// with pins).
func ParseRevocationList(b []byte, tl *TrustList, now time.Time) (*RevocationList, RevocationState, error) {
	fail := func(format string, a ...any) (*RevocationList, RevocationState, error) {
		return nil, RevocationTampered, fmt.Errorf("%w: %s", ErrRevocationList, fmt.Sprintf(format, a...))
	}
	if tl == nil {
		return fail("no trust list to check it with")
	}
	var l RevocationList
	if err := json.Unmarshal(b, &l); err != nil {
		return fail("%v", err)
	}
	msg, err := canonicalJSON(b)
	if err != nil {
		return fail("%v", err)
	}
	switch {
	case l.Version != RevocationListVersion:
		return fail("version %d, want %d", l.Version, RevocationListVersion)
	case l.Issuer != tl.Issuer:
		return fail("issuer %q, the trust list's is %q", l.Issuer, tl.Issuer)
	case l.IssuedAt.IsZero() || !l.NextUpdate.After(l.IssuedAt):
		return fail("issued_at %s, next_update %s", l.IssuedAt.Format(time.RFC3339), l.NextUpdate.Format(time.RFC3339))
	}
	if err := l.checkEntries(); err != nil {
		return fail("%v", err)
	}
	if len(l.Signed) == 0 {
		return fail("not signed")
	}
	trusted := 0
	var unknown []string
	for _, s := range l.Signed {
		kid, err := hex.DecodeString(s.KID)
		if err != nil || len(kid) != 8 {
			return fail("signature with a malformed kid %q", s.KID)
		}
		k, err := tl.key(kid)
		if err != nil {
			return fail("%v", err)
		}
		if k == nil {
			unknown = append(unknown, s.KID)
			continue
		}
		sig, err := b64.DecodeString(s.Sig)
		if err != nil || s.Alg != k.Alg || !k.verifier.Verify(msg, sig) {
			return fail("bad signature by %s", s.KID)
		}
		if k.Status != KeyRevoked && k.Issuer == l.Issuer {
			trusted++
		}
	}
	if trusted == 0 {
		if len(unknown) > 0 {
			return fail("signed only by keys not in the trust list (%s)", strings.Join(unknown, ", "))
		}
		return fail("signed by no usable key of the trust list")
	}
	if now.After(l.NextUpdate) {
		return &l, RevocationStale, fmt.Errorf("%w: next update was due %s", ErrRevocationListStale, l.NextUpdate.Format(time.RFC3339))
	}
	return &l, RevocationFresh, nil
}

// Lookup finds a certificate id in the list. A nil list finds nothing.
func (l *RevocationList) Lookup(id string) (Revocation, bool) {
	if l == nil {
		return Revocation{}, false
	}
	i, ok := slices.BinarySearchFunc(l.Revoked, id, func(r Revocation, id string) int { return strings.Compare(r.ID, id) })
	if !ok {
		return Revocation{}, false
	}
	return l.Revoked[i], true
}

// IsRevoked reports whether id is in the list, as Verify's revoked callback. A nil list (none
// given, or a tampered one) knows no revocation.
func (l *RevocationList) IsRevoked(id string) bool {
	_, ok := l.Lookup(id)
	return ok
}

// ApplyRevocationList records in a result of Verify (run with l.IsRevoked) how revocation was
// checked: against l in state, as of l's issued_at; for a tampered or absent list (l nil), not
// checked. A revoked certificate gets the date and reason from the list.
func ApplyRevocationList(r *Result, l *RevocationList, state RevocationState) {
	if l == nil || state == RevocationTampered {
		r.Revocation = &RevocationCheck{Checked: RevocationCheckedNone, State: state}
		return
	}
	asOf := l.IssuedAt
	r.Revocation = &RevocationCheck{Checked: RevocationCheckedList, AsOf: &asOf, State: state}
	if rv, ok := l.Lookup(idOf(r)); ok && r.Status == StatusRevoked {
		r.Certificate.SetRevoked(rv.RevokedAt, rv.Reason)
	}
}

func idOf(r *Result) string {
	if r.Certificate == nil {
		return ""
	}
	return r.Certificate.ID
}

// SetRevoked records when and why the certificate was revoked.
func (c *VerifiedCertificate) SetRevoked(at time.Time, reason string) {
	at = at.UTC()
	c.RevokedAt, c.RevokeReason = &at, reason
}
