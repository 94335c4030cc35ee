package transport

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestWebAssets: every file of the inspector's page is served with its type and a policy that
// lets the worker compile WebAssembly; the wasm verifier, when this build has it (make
// web-wasm), goes gzip-encoded to clients that accept it and is byte-identical once decoded,
// and when it does not, answers 404 with the error envelope.
func TestWebAssets(t *testing.T) {
	h := NewHandler(&fakeService{}, Config{})
	for _, a := range webAssets() {
		_, embedErr := webFiles.ReadFile("web/" + a.file)
		a.path = strings.TrimSuffix(a.path, "{$}") // the mux's exact-match marker
		rec := send(h, "GET", a.path, "192.0.2.1:1", "", nil)
		if embedErr != nil {
			if !a.optional || rec.Code != 404 || !strings.Contains(rec.Body.String(), `"NOT_FOUND"`) {
				t.Errorf("%s absent from the build: %d %s", a.path, rec.Code, rec.Body)
			}
			continue
		}
		if rec.Code != 200 || rec.Header().Get("Content-Type") != a.contentType {
			t.Errorf("%s: %d %q", a.path, rec.Code, rec.Header().Get("Content-Type"))
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "'wasm-unsafe-eval'") || strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("%s: CSP %q", a.path, csp)
		}
		if rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: encoded without Accept-Encoding", a.path)
		}
		// Revalidation: the same ETag answers 304 without a body.
		etag := rec.Header().Get("ETag")
		if again := send(h, "GET", a.path, "192.0.2.1:1", "", nil, "If-None-Match", etag); etag == "" || again.Code != 304 || again.Body.Len() != 0 {
			t.Errorf("%s: ETag %q, revalidated: %d with %d bytes", a.path, etag, again.Code, again.Body.Len())
		}
	}

	// The root is the start page, and only the root: an unknown path stays a JSON 404.
	if rec := send(h, "GET", "/", "192.0.2.1:1", "", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `href="/verify"`) ||
		!strings.Contains(rec.Body.String(), `href="/openapi.json"`) {
		t.Errorf("GET / = %d %s", rec.Code, rec.Body)
	}
	if rec := send(h, "GET", "/no-such-page", "192.0.2.1:1", "", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), `"NOT_FOUND"`) {
		t.Errorf("GET /no-such-page = %d %s", rec.Code, rec.Body)
	}

	plain, err := webFiles.ReadFile("web/verify.wasm")
	if err != nil {
		t.Log("no verify.wasm in this build (make web-wasm): the gzip path is not exercised")
		return
	}
	for _, ae := range []string{"gzip", "br, gzip;q=0.8", "deflate, gzip;q=0", "br"} {
		rec := send(h, "GET", "/verify.wasm", "192.0.2.1:1", "", nil, "Accept-Encoding", ae)
		want := strings.Contains(ae, "gzip") && !strings.Contains(ae, "gzip;q=0,") && !strings.HasSuffix(ae, "gzip;q=0")
		got := rec.Header().Get("Content-Encoding") == "gzip"
		if got != want || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Vary %q", ae, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
			continue
		}
		body := rec.Body.Bytes()
		if got {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if tag := rec.Header().Get("ETag"); got != strings.HasSuffix(tag, `-gz"`) {
			t.Errorf("Accept-Encoding %q: ETag %q", ae, tag)
		}
		if !bytes.Equal(body, plain) {
			t.Errorf("Accept-Encoding %q: body differs from verify.wasm", ae)
		}
	}
}
