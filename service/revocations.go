package service

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// RevokedCertificate is one entry of the revocation list: a certificate id, when it was revoked
// and the reason the administrator gave.
type RevokedCertificate struct {
	ID        string
	RevokedAt time.Time
	Reason    string
}

// revocationCache holds the last signed revocation list.
//
// The list is signed on request, but the signed list is served again until a revocation happens
// (the store's count of revoked certificates changes: the set only grows, so its size tells),
// the keys change (trust list version), or a quarter of its validity has passed. Why cache:
// every verifier that syncs in that time gets the same bytes (same issued_at, so a page or a
// proxy can tell nothing changed), and an anonymous client cannot make the issuer's private keys
// sign on every request. Why a quarter: a list is served at most 1.5 h after it was signed, so a
// verifier that downloads it has at least 4.5 of its 6 hours ahead before it goes stale. The
// count is read on every request, so the list is right immediately after a revocation, made by
// this process or by another one on the same database.
type revocationCache struct {
	mu      sync.Mutex
	list    *certs.RevocationList
	revoked int // revoked certificates the list holds
	keys    int // trust list version it was signed under
}

// Revocations is the signed list of revoked certificates offline verifiers need.
func (s *roadcheck) Revocations(ctx context.Context) (*certs.RevocationList, error) {
	if s.ca == nil {
		return nil, &Error{Code: CodeStoreUnavailable, MessageEN: "no signing keys configured", Message: "未配置签名密钥"}
	}
	n, err := s.store.CountRevokedCertificates(ctx)
	if err != nil {
		return nil, ErrStoreUnavailable(err)
	}
	keys, err := s.ca.Version()
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &s.revocations
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.list; l != nil && c.revoked == n && c.keys == keys &&
		!now.Before(l.IssuedAt) && now.Before(l.IssuedAt.Add(certs.RevocationListValidity/4)) {
		return l, nil
	}
	recs, err := s.store.RevokedCertificates(ctx)
	if err != nil {
		return nil, ErrStoreUnavailable(err)
	}
	revoked := make([]certs.Revocation, 0, len(recs))
	for _, r := range recs {
		revoked = append(revoked, certs.Revocation{ID: r.ID, RevokedAt: r.RevokedAt, Reason: r.Reason})
	}
	l, err := s.ca.SignRevocations(now, revoked)
	if err != nil {
		return nil, err
	}
	c.list, c.revoked, c.keys = l, len(recs), keys
	return l, nil
}

// onlineRevocation is Verify's revoked callback against the store, for the online checks: it
// keeps the record of a revoked certificate (for its date and reason) and the store's failure.
type onlineRevocation struct {
	s   *roadcheck
	ctx context.Context
	rec *CertificateRecord
	err error
}

func (o *onlineRevocation) revoked(id string) bool {
	rec, err := o.s.store.Certificate(o.ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		o.err = err
		return false
	}
	if err == nil && rec.Status == CertRevoked {
		o.rec = &rec
		return true
	}
	return false
}

// finish marks an online result: checked online now, with the revocation's date and reason
// when revoked. A store failure during the look-up is an error, never a "not revoked".
func (o *onlineRevocation) finish(res certs.Result) (certs.Result, error) {
	if o.err != nil {
		return certs.Result{}, ErrStoreUnavailable(o.err)
	}
	now := o.s.now().UTC()
	res.CheckedOnline = true
	res.Revocation = &certs.RevocationCheck{Checked: certs.RevocationCheckedOnline, AsOf: &now}
	if res.Status == certs.StatusRevoked && res.Certificate != nil && o.rec != nil && o.rec.RevokedAt != nil {
		res.Certificate.SetRevoked(*o.rec.RevokedAt, o.rec.RevokeReason)
	}
	return res, nil
}
