// Command verifywasm is the inspector page's verifier compiled to WebAssembly
// (GOOS=js GOARCH=wasm, `make web-wasm` writes transport/web/verify.wasm): the project's own
// photo and frame decoder (package verify) and signature, trust-list and revocation checks
// (package certs), exposed to the page's worker as one JavaScript object, so the browser runs
// the same code as the server and there is no second verifier written in JavaScript.
//
// In a browser it sets globalThis.roadcheckVerify (see main_js.go for the calls). Run with an
// argument, natively or under Node.js, it measures the photo decoder instead:
//
//	verifywasm bench DIR   // every JPEG/PNG in DIR: decode rate and median time
package main

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/verify"
)

// Revocation states of a list (the revocation list's contract, certs/revocations.go).
const (
	revFresh    = "fresh"    // signed by the trust list, before its next_update
	revStale    = "stale"    // signed, but past next_update: used, and reported
	revTampered = "tampered" // a signature does not verify: not used, reported
	revMissing  = ""         // no list was available (never fetched, or not served): no state
)

// How revocation was checked, as in the verification result's revocation.checked.
const (
	checkedList = "list" // against a signed revocation list the page holds
	checkedNone = "none" // not checked: no usable list
)

// checker holds the lists the page last gave it; one per worker (no package state).
type checker struct {
	parseRevocations revocationParser

	tl      *certs.TrustList
	tlErr   error
	rev     revocationList // nil unless the list's signature verified
	revInfo revocationInfo // its state, for every result
}

func newChecker(p revocationParser) *checker {
	return &checker{parseRevocations: p, tlErr: errors.New("no trust list"), revInfo: revocationInfo{Checked: checkedNone, State: revMissing}}
}

// listsInfo is what the page shows about the lists it verifies against.
type listsInfo struct {
	TrustList struct {
		OK         bool   `json:"ok"`
		Version    int    `json:"version,omitempty"`
		IssuerName string `json:"issuer_name,omitempty"`
		Error      string `json:"error,omitempty"`
	} `json:"trust_list"`
	Revocation revocationInfo `json:"revocation"`
}

// revocationInfo is the verification result's "revocation" member.
type revocationInfo struct {
	Checked    string `json:"checked"`               // list | none (online checks are the server's)
	AsOf       string `json:"as_of,omitempty"`       // issued_at of the list, RFC 3339
	NextUpdate string `json:"next_update,omitempty"` // RFC 3339
	State      string `json:"state,omitempty"`       // fresh | stale | tampered; none without a list
	Detail     string `json:"detail,omitempty"`
}

// setLists replaces the lists: trust is GET /v1/trust-list's body, rev GET /v1/revocations'
// (either may be empty when it could not be had). The revocation list is checked against the
// trust list, so a bad trust list leaves no usable revocation list either.
func (c *checker) setLists(trust, rev []byte, now time.Time) listsInfo {
	c.tl, c.tlErr, c.rev = nil, nil, nil
	if len(trust) == 0 {
		c.tlErr = errors.New("no trust list")
	} else {
		c.tl, c.tlErr = certs.ParseTrustList(trust)
	}
	switch {
	case len(rev) == 0:
		c.revInfo = revocationInfo{Checked: checkedNone, State: revMissing}
	case c.tl == nil:
		c.revInfo = revocationInfo{Checked: checkedNone, State: revMissing, Detail: "no trust list to check the revocation list against"}
	default:
		l, meta, err := c.parseRevocations(rev, c.tl, now)
		switch {
		case err != nil && meta.State == revTampered:
			c.revInfo = revocationInfo{Checked: checkedNone, State: revTampered, Detail: err.Error()}
		case err != nil:
			c.revInfo = revocationInfo{Checked: checkedNone, State: revMissing, Detail: err.Error()}
		default:
			c.rev = l
			c.revInfo = revocationInfo{Checked: checkedList, State: meta.State,
				AsOf: meta.IssuedAt.Format(time.RFC3339), NextUpdate: meta.NextUpdate.Format(time.RFC3339)}
		}
	}
	var info listsInfo
	info.TrustList.OK = c.tl != nil
	if c.tl != nil {
		info.TrustList.Version, info.TrustList.IssuerName = c.tl.Version, c.tl.IssuerName
	} else {
		info.TrustList.Error = c.tlErr.Error()
	}
	info.Revocation = c.revInfo
	return info
}

// result is the verification result (docs/api.md) as the page gets it from the browser's own
// check: certs.Result's fields, the trust list's issuer_name, and the revocation member.
type result struct {
	Status           string         `json:"status"`
	Certificate      *certificate   `json:"certificate,omitempty"`
	KID              string         `json:"kid,omitempty"`
	CheckedOnline    bool           `json:"checked_online"`
	TrustListVersion int            `json:"trust_list_version,omitempty"`
	IssuerName       string         `json:"issuer_name,omitempty"`
	Detail           string         `json:"detail,omitempty"`
	Revocation       revocationInfo `json:"revocation"`
	Payload          string         `json:"payload,omitempty"` // the QR text, for the online re-check
}

type certificate struct {
	certs.VerifiedCertificate
	RevokedAt    string `json:"revoked_at,omitempty"`
	RevokeReason string `json:"revoke_reason,omitempty"`
}

// verifyPayload checks a QR text against the lists held, at now.
func (c *checker) verifyPayload(payload string, now time.Time) result {
	var hit revocation
	revoked := func(id string) bool {
		if c.rev == nil {
			return false
		}
		var ok bool
		hit, ok = c.rev.Lookup(id)
		return ok
	}
	r := certs.Verify(payload, c.tl, now, revoked)
	out := result{Status: r.Status, KID: r.KID, TrustListVersion: r.TrustListVersion, Detail: r.Detail,
		Revocation: c.revInfo, Payload: payload}
	if c.tl == nil && r.Status == certs.StatusUnknownKey {
		out.Detail = "no trust list: " + c.tlErr.Error()
	}
	if c.tl != nil {
		out.IssuerName = c.tl.IssuerName
	}
	if r.Certificate != nil {
		out.Certificate = &certificate{VerifiedCertificate: *r.Certificate}
		if r.Status == certs.StatusRevoked {
			out.Certificate.RevokedAt = hit.RevokedAt.Format(time.RFC3339)
			out.Certificate.RevokeReason = hit.Reason
		}
	}
	return out
}

// noQR is the result for a frame or photo without a certificate's code.
func (c *checker) noQR(detail string) result {
	r := result{Status: certs.StatusNoQRFound, Detail: detail, Revocation: c.revInfo}
	if c.tl != nil {
		r.TrustListVersion, r.IssuerName = c.tl.Version, c.tl.IssuerName
	}
	return r
}

// decodeText turns a decoder's answer into a result: a QR text is verified, no code is
// no_qr_found, anything else (a frame or photo that is not an image) is returned as an error.
func (c *checker) decodeText(text string, err error, now time.Time) (result, error) {
	if errors.Is(err, verify.ErrNoQR) {
		return c.noQR(err.Error()), nil
	}
	if err != nil {
		return result{}, err
	}
	return c.verifyPayload(text, now), nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return `{"error":"` + err.Error() + `"}`
	}
	return string(b)
}
