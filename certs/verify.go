package certs

import (
	"encoding/hex"
	"errors"
	"time"
)

// Verification statuses (api.md). StatusNoQRFound is for image decoders (package verify).
const (
	StatusValid                 = "valid"
	StatusExpired               = "expired"
	StatusNotYetValid           = "not_yet_valid"
	StatusRevoked               = "revoked"
	StatusUnknownKey            = "unknown_key"
	StatusKeyNotValidAtIssuance = "key_not_valid_at_issuance"
	StatusInvalidSignature      = "invalid_signature"
	StatusMalformed             = "malformed"
	StatusUnsupportedVersion    = "unsupported_version"
	StatusNoQRFound             = "no_qr_found"
)

// ClockSkew is tolerated on iat (not yet valid) and exp (expired).
const ClockSkew = 5 * time.Minute

// VerifiedCertificate is the signed content shown to an inspector.
type VerifiedCertificate struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Subject string `json:"subject"`
	IDTail  string `json:"id_tail,omitempty"`
	// QualificationNumber is the holder's 从业资格证号, masked (first 3 and last 4).
	QualificationNumber string    `json:"qualification_number,omitempty"`
	Plate               string    `json:"plate,omitempty"`
	PlateColour         string    `json:"plate_colour,omitempty"`
	Grade               string    `json:"grade,omitempty"`
	Result              string    `json:"result,omitempty"`
	PeriodStart         string    `json:"period_start,omitempty"`
	PeriodEnd           string    `json:"period_end,omitempty"`
	ReviewDate          string    `json:"review_date,omitempty"`
	IssuedAt            time.Time `json:"issued_at"`
	ExpiresAt           time.Time `json:"expires_at"`
	Issuer              string    `json:"issuer"`
	// Set when the status is revoked and the revocation's record (online) or list entry
	// (offline) says when and why.
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
}

// Result is the outcome of Verify (api.md "Verification result"). Certificate is set only when
// the signature and the key's window check out (valid, expired, not_yet_valid, revoked), so
// unauthenticated content is never shown. CheckedOnline and Revocation are left to the caller,
// which knows how it checked revocation (see ApplyRevocationList).
type Result struct {
	Status           string               `json:"status"`
	Certificate      *VerifiedCertificate `json:"certificate,omitempty"`
	KID              string               `json:"kid,omitempty"`
	CheckedOnline    bool                 `json:"checked_online"`
	Revocation       *RevocationCheck     `json:"revocation,omitempty"`
	TrustListVersion int                  `json:"trust_list_version,omitempty"`
	Detail           string               `json:"detail,omitempty"` // why, for logs and support
}

// Verify checks a payload string against a trust list at time now, in design.md's order:
// parse → signature → key window → expiry → revocation. revoked (may be nil) reports whether a
// certificate id is revoked.
//
// Status mapping beyond the obvious: a claim issuer other than the key's issuer is
// unknown_key (no trusted key for that issuer); a key marked revoked in the trust list is
// key_not_valid_at_issuance; an algorithm this build cannot verify is unsupported_version.
func Verify(payload string, tl *TrustList, now time.Time, revoked func(id string) bool) Result {
	var r Result
	if tl != nil {
		r.TrustListVersion = tl.Version
	}
	fail := func(status string, err error) Result {
		r.Status = status
		if err != nil {
			r.Detail = err.Error()
		}
		return r
	}
	m, err := parseSign1Payload(payload)
	if err != nil {
		return fail(parseStatus(err), err)
	}
	r.KID = hex.EncodeToString(m.KID)
	k, err := tl.key(m.KID)
	if err != nil {
		return fail(StatusUnknownKey, err) // listed but unusable (bad entry, unsupported alg)
	}
	if k == nil {
		return fail(StatusUnknownKey, errors.New("kid not in the trust list"))
	}
	if _, ok := tl.algorithms().ByID(m.Alg); !ok {
		return fail(StatusUnsupportedVersion, errors.New("unsupported algorithm"))
	}
	if m.Alg != k.alg || !m.VerifySignature(k.verifier) {
		return fail(StatusInvalidSignature, nil)
	}
	c, err := DecodeClaims(m.Payload)
	if err != nil {
		return fail(parseStatus(err), err)
	}
	if c.Issuer != k.Issuer {
		return fail(StatusUnknownKey, errors.New("key does not sign for issuer "+c.Issuer))
	}
	if k.Status == KeyRevoked {
		return fail(StatusKeyNotValidAtIssuance, errors.New("key revoked"))
	}
	if !k.verifiesAt(c.IssuedTime()) {
		return fail(StatusKeyNotValidAtIssuance, errors.New("iat outside the key's signing window"))
	}
	r.Certificate = verifiedCertificate(c)
	switch {
	case c.IssuedTime().After(now.Add(ClockSkew)):
		r.Status = StatusNotYetValid
	case now.After(c.ExpiresTime().Add(ClockSkew)):
		r.Status = StatusExpired
	case revoked != nil && revoked(c.ID):
		r.Status = StatusRevoked
	default:
		r.Status = StatusValid
	}
	return r
}

func parseStatus(err error) string {
	if errors.Is(err, ErrUnsupportedVersion) {
		return StatusUnsupportedVersion
	}
	return StatusMalformed
}

func verifiedCertificate(c Claims) *VerifiedCertificate {
	return &VerifiedCertificate{
		ID: c.ID, Type: c.Type.String(), Subject: c.Subject, IDTail: c.IDTail, QualificationNumber: c.QualNo, Plate: c.Plate,
		PlateColour: c.PlateColour.String(), Grade: c.Grade, Result: c.Result,
		PeriodStart: c.PeriodStart.String(), PeriodEnd: c.PeriodEnd.String(), ReviewDate: c.ReviewDate.String(),
		IssuedAt: c.IssuedTime(), ExpiresAt: c.ExpiresTime(), Issuer: c.Issuer,
	}
}
