package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// revocationFeed is where the browser tests' page gets GET /v1/revocations. Until the service
// serves the signed list itself (the revocations branch: certs/revocations.go), a fixture
// signed with the service's own active key stands in (newFixtureRevocations); once it does,
// the one line `feed := newFixtureRevocations(t, s.data)` in TestInspectorPageOffline becomes
// `feed := serviceRevocations{}` and the page gets the service's list through the front.
type revocationFeed interface {
	// handler serves the list, or is nil when the service itself does.
	handler() http.Handler
	// revoked tells the feed that the service revoked a certificate (revoked_at and reason
	// as the service recorded them).
	revoked(id string, at time.Time, reason string)
}

// serviceRevocations is the service's own GET /v1/revocations.
type serviceRevocations struct{}

func (serviceRevocations) handler() http.Handler             { return nil }
func (serviceRevocations) revoked(string, time.Time, string) {}

// fixtureRevocations signs the list of docs/api.md (GET /v1/revocations): version, issuer,
// issued_at, next_update = issued_at + 6 h, revoked sorted by id, signed by the active key over
// the canonical JSON without "signed" (as the trust list is).
type fixtureRevocations struct {
	issuer string
	kid    string
	key    ed25519.PrivateKey

	mu   sync.Mutex
	list map[string]fixtureRevocation
}

type fixtureRevocation struct {
	at     time.Time
	reason string
}

func newFixtureRevocations(t *testing.T, data string) *fixtureRevocations {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "keys", "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Issuer string `json:"issuer"`
		Keys   []struct{ KID, Status string }
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	f := &fixtureRevocations{issuer: st.Issuer, list: map[string]fixtureRevocation{}}
	for _, k := range st.Keys {
		if k.Status == "active" {
			f.kid = k.KID
		}
	}
	p, err := os.ReadFile(filepath.Join(data, "keys", f.kid+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(p)
	if blk == nil {
		t.Fatal("active key: no PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	f.key = k.(ed25519.PrivateKey)
	return f
}

func (f *fixtureRevocations) revoked(id string, at time.Time, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list[id] = fixtureRevocation{at, reason}
}

func (f *fixtureRevocations) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(f.document(time.Now()))
	})
}

// document is the signed list as of now.
func (f *fixtureRevocations) document(now time.Time) []byte {
	f.mu.Lock()
	ids := make([]string, 0, len(f.list))
	for id := range f.list {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	revoked := []any{}
	for _, id := range ids {
		r := f.list[id]
		revoked = append(revoked, map[string]any{"id": id, "revoked_at": r.at.UTC().Format(time.RFC3339), "reason": r.reason})
	}
	f.mu.Unlock()
	issued := now.UTC().Truncate(time.Second)
	doc := map[string]any{"version": 1, "issuer": f.issuer, "issued_at": issued.Format(time.RFC3339),
		"next_update": issued.Add(6 * time.Hour).Format(time.RFC3339), "revoked": revoked}
	var msg bytes.Buffer // canonical: maps encode with sorted keys; no HTML escaping
	e := json.NewEncoder(&msg)
	e.SetEscapeHTML(false)
	_ = e.Encode(doc)
	sig := ed25519.Sign(f.key, bytes.TrimSuffix(msg.Bytes(), []byte("\n")))
	doc["signed"] = []any{map[string]any{"kid": f.kid, "alg": "EdDSA", "sig": base64.RawURLEncoding.EncodeToString(sig)}}
	out, _ := json.MarshalIndent(doc, "", "  ")
	return out
}

// front is the origin the browser sees: the service behind a reverse proxy that serves the
// revocation feed (when the service does not) and that can drop off the network: while down,
// every connection is closed unanswered, as in airplane mode.
type front struct {
	*httptest.Server
	down atomic.Bool
}

func newFront(t *testing.T, service string, feed revocationFeed) *front {
	t.Helper()
	u, err := url.Parse(service)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // the browser hangs up when a test ends
	revocations := feed.handler()
	f := &front{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.down.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					_ = c.(*net.TCPConn).SetLinger(0) // a reset, not a polite close
					_ = c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		if revocations != nil && r.URL.Path == "/v1/revocations" {
			revocations.ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}
