package transport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// webAsset is one file of the inspector's page (docs/api.md, GET /verify). Optional files are
// built by `make web-wasm` and git-ignored (the wasm verifier and Go's wasm_exec.js); the
// embed takes the directory, so a build without them works, they answer 404 and the page falls
// back to uploading photos to the server.
type webAsset struct {
	path, file, contentType string
	optional                bool
}

func webAssets() []webAsset {
	const js = "text/javascript; charset=utf-8"
	return []webAsset{
		{"/{$}", "index.html", "text/html; charset=utf-8", false}, // a browser at the root finds the page and the docs
		{"/verify", "verify.html", "text/html; charset=utf-8", false},
		{"/verify.js", "verify.js", js, false},
		{"/verify.css", "verify.css", "text/css; charset=utf-8", false},
		{"/verify-worker.js", "verify-worker.js", js, false},
		{"/verify-sw.js", "verify-sw.js", js, false},
		{"/verify.webmanifest", "verify.webmanifest", "application/manifest+json", false},
		{"/verify-icon.svg", "verify-icon.svg", "image/svg+xml", false},
		{"/wasm_exec.js", "wasm_exec.js", js, true},
		{"/verify.wasm", "verify.wasm", "application/wasm", true},
	}
}

// webRoutes are the page's routes, each behind wrap (the per-address web rate).
func webRoutes(wrap func(http.Handler) http.Handler) []route {
	var out []route
	for _, a := range webAssets() {
		out = append(out, route{"GET", a.path, nil, wrap(webFile(a))})
	}
	return out
}

// webCSP allows only this origin's scripts and styles, and compiling WebAssembly (the
// verifier runs in a worker, whose policy is its own script's header).
const webCSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; frame-ancestors 'none'"

// webFile serves one asset. Where the build wrote a gzip-compressed copy beside it (make
// web-wasm does for the wasm verifier: 7.8 MB, 2.3 MB gzipped), clients that accept gzip get
// that copy.
func webFile(a webAsset) http.Handler {
	b, err := webFiles.ReadFile("web/" + a.file)
	if err != nil {
		if !a.optional {
			panic(err) // embedded at build time; missing is a build error
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, &service.Error{Code: service.CodeNotFound,
				MessageEN: a.file + " is not built into this binary (make web-wasm); the page uploads photos instead",
				Message:   "此版本未包含离线核验组件，请上传照片核验"})
		})
	}
	gz, _ := webFiles.ReadFile("web/" + a.file + ".gz") // written beside it by make web-wasm
	// Strong validators, one per encoding, so the service worker's refresh of an unchanged
	// file is a 304 (it revalidates what the page has just fetched instead of fetching it
	// again). The hash is taken on first use, not when the handler is built.
	var once sync.Once
	var tag, gzTag string
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() {
			sum := sha256.Sum256(b)
			tag = `"` + hex.EncodeToString(sum[:12]) + `"`
			gzTag = `"` + hex.EncodeToString(sum[:12]) + `-gz"`
		})
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", webCSP)
		h.Set("Referrer-Policy", "no-referrer")
		// The service worker keeps the offline copy; the browser asks the server each time
		// it is online (network first), so a new release is picked up at the next visit.
		h.Set("Cache-Control", "no-cache")
		body, etag := b, tag
		if gz != nil {
			h.Set("Vary", "Accept-Encoding")
			if acceptsGzip(r.Header.Get("Accept-Encoding")) {
				h.Set("Content-Encoding", "gzip")
				body, etag = gz, gzTag
			}
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
