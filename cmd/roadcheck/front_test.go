package main

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// revocationFeed is where the browser tests' page gets GET /v1/revocations: the service's own
// signed list (serviceRevocations), through the front; a test may put another feed there (a
// stale or tampered list) without a second service.
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
