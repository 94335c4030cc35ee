package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/certs/render"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// revocationService is the service on the embedded store with a key store and a clock the test
// holds.
func revocationService(t *testing.T) (service.Service, workflow, *keystore.KeyStore) {
	t.Helper()
	w := newWorkflow(t)
	ctx := context.Background()
	book, err := policies.Load(ctx, policies.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := service.NewRules(book)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := keystore.OpenWith(t.TempDir(), keystore.Options{Now: func() time.Time { return w.clock.now().Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Rules: rules, Store: w.store, Now: w.clock.now, CA: ca, Renderer: render.New()})
	if err != nil {
		t.Fatal(err)
	}
	return svc, w, ca
}

// insertCertificate stores a signed certificate with id, as approval would.
func insertCertificate(t *testing.T, w workflow, ca *keystore.KeyStore, id string) string {
	t.Helper()
	now := w.clock.now()
	c := certs.Certificate{ID: id, Type: certs.TypeAnnualReview, IssuedAt: now, ExpiresAt: now.AddDate(1, 0, 0),
		Plate: "豫A12345", PlateColour: "yellow", ReviewDate: now.Format("2006-01-02")}
	payload, err := ca.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.store.InsertCertificate(context.Background(), service.CertificateRecord{ID: id, ApplicationID: "a_" + id,
		Portal: "portal-a", Type: c.Type, Status: service.CertValid, IssuedAt: now, ExpiresAt: c.ExpiresAt, Payload: payload, Cert: c}); err != nil {
		t.Fatal(err)
	}
	return payload
}

// TestRevocationList: GET /v1/revocations' service method is right immediately after a
// revocation (this service's or another process's on the same store) and after a key change,
// and serves the same signed list in between, for at most a quarter of its validity.
func TestRevocationList(t *testing.T) {
	svc, w, ca := revocationService(t)
	ctx := context.Background()
	admin := as("admin", service.RoleAdmin)
	tlist := func() *certs.TrustList {
		tl, err := svc.TrustList(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return tl
	}
	list := func() *certs.RevocationList {
		t.Helper()
		l, err := svc.Revocations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := l.MarshalIndent()
		if err != nil {
			t.Fatal(err)
		}
		// Served as an offline verifier reads it: through the parser, against the trust list.
		parsed, state, err := certs.ParseRevocationList(b, tlist(), w.clock.now())
		if state != certs.RevocationFresh || err != nil {
			t.Fatalf("served list is %s: %v\n%s", state, err, b)
		}
		return parsed
	}
	start := w.clock.now()
	l0 := list()
	if len(l0.Revoked) != 0 || !l0.IssuedAt.Equal(start) || !l0.NextUpdate.Equal(start.Add(6*time.Hour)) {
		t.Fatalf("empty list %+v", l0)
	}
	p1 := insertCertificate(t, w, ca, "AAAAAAAAAAAAAAAA")
	insertCertificate(t, w, ca, "BBBBBBBBBBBBBBBB")
	insertCertificate(t, w, ca, "CCCCCCCCCCCCCCCC")

	// Cached: nothing was revoked, 10 minutes later.
	w.clock.set(start.Add(10 * time.Minute))
	if l := list(); !l.IssuedAt.Equal(start) {
		t.Errorf("list re-signed without a change: issued_at %v", l.IssuedAt)
	}
	// A reason too long for every inspector's copy of the list is refused, nothing revoked.
	if _, err := svc.RevokeCertificate(admin, "BBBBBBBBBBBBBBBB", strings.Repeat("理", 201)); service.AsError(err).Code != service.CodeInvalidField {
		t.Fatalf("a 201-character reason: %v", err)
	}
	if l := list(); len(l.Revoked) != 0 {
		t.Fatalf("a refused revocation is listed: %+v", l)
	}
	// A revocation shows at once, with the administrator's reason.
	revokedAt := w.clock.now()
	if _, err := svc.RevokeCertificate(admin, "BBBBBBBBBBBBBBBB", "  证件信息有误 "); err != nil {
		t.Fatal(err)
	}
	l := list()
	if rv, ok := l.Lookup("BBBBBBBBBBBBBBBB"); !ok || rv.Reason != "证件信息有误" || !rv.RevokedAt.Equal(revokedAt) ||
		len(l.Revoked) != 1 || !l.IssuedAt.Equal(revokedAt) {
		t.Fatalf("after the revocation: %+v", l)
	}
	// A revocation written by another process on the same database shows at once too.
	w.clock.set(start.Add(20 * time.Minute))
	if _, err := w.store.RevokeCertificate(ctx, "AAAAAAAAAAAAAAAA", w.clock.now().UTC(), "考核材料造假"); err != nil {
		t.Fatal(err)
	}
	l = list()
	if len(l.Revoked) != 2 || l.Revoked[0].ID != "AAAAAAAAAAAAAAAA" || l.Revoked[1].ID != "BBBBBBBBBBBBBBBB" {
		t.Fatalf("after another process's revocation: %+v", l.Revoked)
	}
	signed := l.IssuedAt
	// Cached up to a quarter of the validity (1.5 h), re-signed after.
	w.clock.set(signed.Add(90*time.Minute - time.Second))
	if l := list(); !l.IssuedAt.Equal(signed) {
		t.Errorf("re-signed before 1.5 h: %v", l.IssuedAt)
	}
	w.clock.set(signed.Add(90 * time.Minute))
	if l := list(); !l.IssuedAt.Equal(w.clock.now()) || len(l.Revoked) != 2 {
		t.Errorf("not re-signed after 1.5 h: %+v", l)
	}
	// A key rotation re-signs at once: the list carries the new active key's signature.
	w.clock.set(w.clock.now().Add(time.Minute))
	k, err := ca.Rotate(w.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	if l := list(); len(l.Signed) != 2 || l.Signed[0].KID != k.KID {
		t.Errorf("after rotation signed by %+v, want %s first", l.Signed, k.KID)
	}

	// Online verification: revoked with its date and reason, and says it checked online.
	res, err := svc.VerifyPayload(ctx, p1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != certs.StatusRevoked || !res.CheckedOnline || res.Revocation == nil || res.Revocation.Checked != "online" ||
		res.Certificate.RevokeReason != "考核材料造假" || res.Certificate.RevokedAt == nil || !res.Certificate.RevokedAt.Equal(start.Add(20*time.Minute)) {
		t.Errorf("online result %+v %+v", res, res.Certificate)
	}
	res, err = svc.VerifyPayload(ctx, insertCertificate(t, w, ca, "DDDDDDDDDDDDDDDD"))
	if err != nil || res.Status != certs.StatusValid || res.Revocation == nil || res.Revocation.Checked != "online" || res.Certificate.RevokedAt != nil {
		t.Errorf("valid online result %+v, %v", res, err)
	}
}
