package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// revocation is one revoked certificate of a list.
type revocation struct {
	RevokedAt time.Time
	Reason    string
}

// revocationList is what the checker needs of a signed revocation list.
type revocationList interface {
	Lookup(id string) (revocation, bool)
}

// revocationMeta is the list's header as the verdict reports it.
type revocationMeta struct {
	IssuedAt, NextUpdate time.Time
	State                string // fresh | stale | tampered
}

// revocationParser checks a list (GET /v1/revocations) against a trust list at now. A list
// whose signature does not verify returns an error with State tampered; a stale list is
// returned with State stale and no error.
//
// TODO(revocations): once certs/revocations.go lands, pass an adapter over
// certs.ParseRevocationList to newChecker (main_js.go, bench.go) and delete parseStandIn
// below: the format is the same (docs/api.md, GET /v1/revocations).
type revocationParser func(b []byte, tl *certs.TrustList, now time.Time) (revocationList, revocationMeta, error)

// standInList is the stand-in's parsed list.
type standInList map[string]revocation

func (l standInList) Lookup(id string) (revocation, bool) { r, ok := l[id]; return r, ok }

// parseStandIn reads the signed revocation list of the shared format (version, issuer,
// issued_at, next_update, revoked [{id, revoked_at, reason}], signed [{kid, alg, sig}]:
// detached Ed25519 signatures over the canonical JSON without "signed", as for the trust list),
// until certs.ParseRevocationList is there to do it.
func parseStandIn(b []byte, tl *certs.TrustList, now time.Time) (revocationList, revocationMeta, error) {
	var doc struct {
		Version    int    `json:"version"`
		Issuer     string `json:"issuer"`
		IssuedAt   string `json:"issued_at"`
		NextUpdate string `json:"next_update"`
		Revoked    []struct {
			ID        string `json:"id"`
			RevokedAt string `json:"revoked_at"`
			Reason    string `json:"reason"`
		} `json:"revoked"`
		Signed []certs.ListSignature `json:"signed"`
	}
	var meta revocationMeta
	tampered := func(format string, a ...any) (revocationList, revocationMeta, error) {
		meta.State = revTampered
		return nil, meta, fmt.Errorf("revocation list: "+format, a...)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, meta, fmt.Errorf("revocation list: %v", err)
	}
	msg, err := canonical(b)
	if err != nil {
		return nil, meta, fmt.Errorf("revocation list: %v", err)
	}
	if len(doc.Signed) == 0 {
		return tampered("not signed")
	}
	for _, s := range doc.Signed {
		var key *certs.TrustedKey
		for i := range tl.Keys {
			if tl.Keys[i].KID == s.KID {
				key = &tl.Keys[i]
			}
		}
		if key == nil || key.Status == certs.KeyRevoked || key.Alg != "EdDSA" || s.Alg != key.Alg {
			return tampered("signed by %s, not a usable key of the trust list", s.KID)
		}
		pub, err1 := base64.RawURLEncoding.DecodeString(key.PublicKey)
		sig, err2 := base64.RawURLEncoding.DecodeString(s.Sig)
		if err1 != nil || err2 != nil || len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, msg, sig) {
			return tampered("bad signature by %s", s.KID)
		}
	}
	if doc.Issuer != tl.Issuer {
		return tampered("issuer %q, trust list's %q", doc.Issuer, tl.Issuer)
	}
	if meta.IssuedAt, err = time.Parse(time.RFC3339, doc.IssuedAt); err != nil {
		return tampered("bad issued_at")
	}
	if meta.NextUpdate, err = time.Parse(time.RFC3339, doc.NextUpdate); err != nil || meta.NextUpdate.Before(meta.IssuedAt) {
		return tampered("bad next_update")
	}
	l := standInList{}
	for _, r := range doc.Revoked {
		at, err := time.Parse(time.RFC3339, r.RevokedAt)
		if err != nil {
			return tampered("bad revoked_at of %s", r.ID)
		}
		l[r.ID] = revocation{RevokedAt: at, Reason: r.Reason}
	}
	meta.State = revFresh
	if now.After(meta.NextUpdate) {
		meta.State = revStale
	}
	return l, meta, nil
}

// canonical is the trust list's canonical JSON (certs/trustlist.go): members sorted, no
// insignificant whitespace, minimal escaping, numbers as written, top-level "signed" dropped.
func canonical(raw []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("trailing data")
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
