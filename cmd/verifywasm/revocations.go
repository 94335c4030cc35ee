package main

import (
	"encoding/json"
	"errors"
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
type revocationParser func(b []byte, tl *certs.TrustList, now time.Time) (revocationList, revocationMeta, error)

// parseRevocations is certs.ParseRevocationList, the same check `roadcheck verify
// --revocations` and the server make, seen through the checker's small interface.
func parseRevocations(b []byte, tl *certs.TrustList, now time.Time) (revocationList, revocationMeta, error) {
	// Not JSON at all (a captive portal's page, a proxy's error) is no list, not a forged one.
	if !json.Valid(b) {
		return nil, revocationMeta{}, errors.New("the revocation list is not JSON")
	}
	l, st, err := certs.ParseRevocationList(b, tl, now)
	meta := revocationMeta{State: string(st)}
	if l != nil {
		meta.IssuedAt, meta.NextUpdate = l.IssuedAt, l.NextUpdate
	}
	if st == certs.RevocationTampered || l == nil {
		if err == nil {
			err = errors.New("revocation list not usable")
		}
		meta.State = string(certs.RevocationTampered)
		return nil, meta, err
	}
	// A stale list is returned with its state and no error, as the checker expects.
	return certsList{l}, meta, nil
}

type certsList struct{ l *certs.RevocationList }

func (c certsList) Lookup(id string) (revocation, bool) {
	r, ok := c.l.Lookup(id)
	return revocation{RevokedAt: r.RevokedAt, Reason: r.Reason}, ok
}
