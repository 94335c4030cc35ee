package transport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/service"
)

// routeAnswers is, for every route of the route table, its operationId and what it answers
// besides what its roles imply (401 UNAUTHENTICATED, 429 RATE_LIMITED over a token's quota,
// and 403 FORBIDDEN when a role is not admitted: see routeStatuses). ok are its statuses that
// are no error; codes the error codes its decoder, its limits and its service method return
// (read from the code: transport's decoders and limits, the service method's errors), each at
// the status the error encoder gives its kind, or at "=STATUS" where the code's kind is set
// explicitly. A route missing here, or here and not in the route table, fails the test.
var routeAnswers = map[string]struct {
	op    string
	ok    []int
	codes []string
}{
	"GET /metrics":                       {"getMetrics", []int{200}, nil},
	"GET /healthz":                       {"getLiveness", []int{200}, nil},
	"GET /readyz":                        {"getReadiness", []int{200}, []string{"STORE_UNAVAILABLE"}},
	"GET /openapi.json":                  {"getOpenApiDocument", []int{200}, nil},
	"GET /v1/items":                      {"listItems", []int{200}, nil},
	"GET /v1/items/{item}/schema":        {"getItemSchema", []int{200}, []string{"UNKNOWN_ITEM"}},
	"POST /v1/precheck":                  {"precheckApplication", []int{200}, append(jsonBody, "UNKNOWN_ITEM", "UPLOAD_NOT_FOUND", "STORE_UNAVAILABLE")},
	"POST /v1/materials":                 {"uploadMaterial", []int{201}, []string{"INVALID_FIELD", "IMAGE_TOO_LARGE", "UNSUPPORTED_MEDIA", "BUSY", "STORE_UNAVAILABLE"}},
	"POST /v1/applications":              {"submitApplication", []int{200, 201}, append(jsonBody, "UNKNOWN_ITEM", "UPLOAD_NOT_FOUND", "IDEMPOTENCY_KEY_REUSED", "PRECHECK_FAILED", "STORE_UNAVAILABLE")},
	"GET /v1/applications":               {"listApplications", []int{200}, []string{"INVALID_FIELD", "STORE_UNAVAILABLE"}},
	"GET /v1/applications/{id}":          {"getApplication", []int{200}, []string{"NOT_FOUND", "STORE_UNAVAILABLE"}},
	"POST /v1/applications/{id}/accept":  {"acceptApplication", []int{200}, append(jsonBody, "NOT_FOUND", "INVALID_TRANSITION", "STORE_UNAVAILABLE")},
	"POST /v1/applications/{id}/reject":  {"rejectApplication", []int{200}, append(jsonBody, "REASON_REQUIRED", "NOT_FOUND", "INVALID_TRANSITION", "STORE_UNAVAILABLE")},
	"POST /v1/applications/{id}/approve": {"approveApplication", []int{200}, append(jsonBody, "GRADE_REQUIRED", "NOT_FOUND", "INVALID_TRANSITION", "STORED_DATA_INVALID", "STORE_UNAVAILABLE")},
	"POST /v1/applications/{id}/deny":    {"denyApplication", []int{200}, append(jsonBody, "REASON_REQUIRED", "NOT_FOUND", "INVALID_TRANSITION", "STORE_UNAVAILABLE")},
	"GET /v1/review/queue":               {"getReviewQueue", []int{200}, []string{"INVALID_FIELD", "UNKNOWN_ITEM", "STORE_UNAVAILABLE"}},
	"POST /v1/registry/qualifications":   {"importQualifications", []int{200}, []string{"INVALID_FIELD", "BODY_TOO_LARGE", "STORE_UNAVAILABLE"}},
	"POST /v1/registry/vehicles":         {"importVehicles", []int{200}, []string{"INVALID_FIELD", "BODY_TOO_LARGE", "STORE_UNAVAILABLE"}},
	"GET /v1/certificates/{file}":        {"getCertificate", []int{200}, []string{"NOT_FOUND", "STORE_UNAVAILABLE"}},
	"POST /v1/certificates/{id}/revoke":  {"revokeCertificate", []int{200}, append(jsonBody, "REASON_REQUIRED", "NOT_FOUND", "INVALID_TRANSITION", "STORE_UNAVAILABLE")},
	"POST /v1/verify":                    {"verifyCertificate", []int{200}, append(jsonBody, "IMAGE_UNREADABLE", "IMAGE_TOO_LARGE", "RATE_LIMITED", "BUSY", "STORE_UNAVAILABLE")},
	"GET /v1/trust-list":                 {"getTrustList", []int{200}, []string{"RATE_LIMITED", "STORE_UNAVAILABLE"}},
	"GET /v1/revocations":                {"getRevocationList", []int{200}, []string{"RATE_LIMITED", "STORE_UNAVAILABLE"}},
	"GET /v1/policies":                   {"getPolicyStatus", []int{200}, nil},
	"POST /v1/policies/reload":           {"reloadPolicies", []int{200}, []string{"POLICY_REJECTED", "POLICY_REJECTED=409"}},
	"GET /{$}":                           {"getStartPage", webOK, webCodes},
	"GET /verify":                        {"getVerifyPage", webOK, webCodes},
	"GET /verify.js":                     {"getVerifyScript", webOK, webCodes},
	"GET /verify.css":                    {"getVerifyStylesheet", webOK, webCodes},
	"GET /verify-worker.js":              {"getVerifyWorker", webOK, webCodes},
	"GET /verify-sw.js":                  {"getVerifyServiceWorker", webOK, webCodes},
	"GET /verify.webmanifest":            {"getVerifyManifest", webOK, webCodes},
	"GET /verify-icon.svg":               {"getVerifyIcon", webOK, webCodes},
	"GET /wasm_exec.js":                  {"getWasmExec", webOK, append(webCodes, "NOT_FOUND")}, // optional: not built
	"GET /verify.wasm":                   {"getVerifyWasm", webOK, append(webCodes, "NOT_FOUND")},
}

var (
	// jsonBody: a JSON body read by readJSONBody or decodeOptionalJSON, then DecodeStrict.
	jsonBody = []string{"INVALID_JSON", "INVALID_FIELD", "BODY_TOO_LARGE", "UNSUPPORTED_MEDIA"}
	// webOK: the page's files go through http.ServeContent with an ETag: ranges (206, 416) and
	// conditional requests (304, 412).
	webOK    = []int{200, 206, 304, 412, 416}
	webCodes = []string{"RATE_LIMITED"}
)

// routeStatuses is every status a route answers: routeAnswers' and its roles'.
func routeStatuses(t *testing.T, rt route) map[int][]string {
	t.Helper()
	a := routeAnswers[rt.method+" "+rt.pattern]
	out := map[int][]string{}
	for _, s := range a.ok {
		out[s] = nil
	}
	codes := slices.Clone(a.codes)
	if rt.roles != nil {
		codes = append(codes, "UNAUTHENTICATED", "RATE_LIMITED")
		if !admits(rt.roles, service.RolePortal) || !admits(rt.roles, service.RoleReviewer) {
			codes = append(codes, "FORBIDDEN")
		}
	}
	for _, c := range codes {
		s := codeStatus(t, c)
		code, _, _ := strings.Cut(c, "=")
		if !slices.Contains(out[s], code) {
			out[s] = append(out[s], code)
		}
	}
	return out
}

// codeStatus is the status the error encoder answers a code with ("CODE=STATUS": as given).
func codeStatus(t *testing.T, c string) int {
	t.Helper()
	code, status, explicit := strings.Cut(c, "=")
	if explicit {
		s, err := strconv.Atoi(status)
		if err != nil {
			t.Fatalf("bad table entry %q", c)
		}
		return s
	}
	e := service.AsError(service.NewError(code, "", "", ""))
	if e.Code != code {
		t.Fatalf("%s is not a code of the error catalogue", code)
	}
	return statusOf(e.Kind)
}

type oaResponse struct {
	Ref         string                     `json:"$ref"`
	Description string                     `json:"description"`
	Content     map[string]json.RawMessage `json:"content"`
}

type oaOperation struct {
	OperationID string                 `json:"operationId"`
	Security    *[]map[string][]string `json:"security"`
	Responses   map[string]oaResponse  `json:"responses"`
}

type oaDocument struct {
	OpenAPI  string                                `json:"openapi"`
	Security []map[string][]string                 `json:"security"`
	Paths    map[string]map[string]json.RawMessage `json:"paths"`
	Servers  []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Components struct {
		Responses map[string]oaResponse `json:"responses"`
	} `json:"components"`
}

func loadOpenAPI(t *testing.T) oaDocument {
	t.Helper()
	var doc oaDocument
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// operation is the document's operation of a route and its responses, $refs resolved.
func (doc oaDocument) operation(rt route) (oaOperation, bool) {
	path := strings.TrimSuffix(rt.pattern, "{$}") // the mux's exact-match marker is no part of the path
	raw, ok := doc.Paths[path][strings.ToLower(rt.method)]
	var op oaOperation
	if !ok || json.Unmarshal(raw, &op) != nil {
		return op, false
	}
	for s, r := range op.Responses {
		if name, ok := strings.CutPrefix(r.Ref, "#/components/responses/"); ok {
			op.Responses[s] = doc.Components.Responses[name]
		}
	}
	return op, true
}

func (op oaOperation) statuses() []int {
	var out []int
	for s := range op.Responses {
		n, _ := strconv.Atoi(s)
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func testRoutes() []route {
	return routeTable(&fakeService{}, Config{MaxBodyBytes: 1, MaxUpload: 1})
}

// TestOpenAPIDescribesRoutes: every route of the table is described, with its operationId,
// its security, and exactly the statuses it answers (routeAnswers and its roles), each error
// status naming the codes it stands for.
func TestOpenAPIDescribesRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	if len(doc.Servers) == 0 || len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Errorf("servers %v, security %v: want a server and bearer as the default security", doc.Servers, doc.Security)
	}
	inTable := map[string]bool{}
	ops := map[string]string{}
	for _, rt := range testRoutes() {
		key := rt.method + " " + rt.pattern
		inTable[key] = true
		want, ok := routeAnswers[key]
		if !ok {
			t.Errorf("%s is not in routeAnswers: add what it answers", key)
			continue
		}
		op, ok := doc.operation(rt)
		if !ok {
			t.Errorf("openapi.json lacks %s", key)
			continue
		}
		if op.OperationID != want.op {
			t.Errorf("%s: operationId %q, want %q (operationIds are stable: clients generate code from them)", key, op.OperationID, want.op)
		}
		if other, dup := ops[op.OperationID]; dup {
			t.Errorf("operationId %q of %s and %s", op.OperationID, key, other)
		}
		ops[op.OperationID] = key
		public := op.Security != nil && len(*op.Security) == 0
		if public != (rt.roles == nil) {
			t.Errorf("%s: security %v, but the route's roles are %v (public operations say security: [])", key, op.Security, rt.roles)
		}
		statuses := routeStatuses(t, rt)
		var wantStatuses []int
		for s, codes := range statuses {
			wantStatuses = append(wantStatuses, s)
			r, ok := op.Responses[strconv.Itoa(s)]
			if !ok {
				continue
			}
			for _, c := range codes {
				if !strings.Contains(r.Description, c) {
					t.Errorf("%s: the description of %d does not name %s: %q", key, s, c, r.Description)
				}
			}
			if len(codes) > 0 && r.Content["application/json"] == nil {
				t.Errorf("%s: %d is not described as the JSON error envelope", key, s)
			}
		}
		slices.Sort(wantStatuses)
		if got := op.statuses(); !slices.Equal(got, wantStatuses) {
			t.Errorf("%s: openapi.json lists statuses %v, the route answers %v", key, got, wantStatuses)
		}
	}
	for key := range routeAnswers {
		if !inTable[key] {
			t.Errorf("routeAnswers has %s, the route table does not", key)
		}
	}
	// Nothing is described that the table does not serve.
	for path, item := range doc.Paths {
		for m := range item {
			key := strings.ToUpper(m) + " " + path
			if !inTable[key] && !inTable[key+"{$}"] {
				t.Errorf("openapi.json describes %s, which no route serves", key)
			}
		}
	}
}

// TestOpenAPIListsLiveStatuses sends requests through the real handler, each of whose answers
// must be a status openapi.json lists for the route: every authenticated route without a
// token, with each role's token and over a token's quota; every route over its anonymous rate,
// with a body of the wrong type or over the limit; with the service failing with each code the
// route answers; the page's files asked conditionally and by range.
func TestOpenAPIListsLiveStatuses(t *testing.T) {
	doc := loadOpenAPI(t)
	tt := newTestTokens(t)
	// One quota-limited admin token per route (each its own bucket of one request).
	var tf TokenFile
	quota := map[string]string{}
	for _, rt := range testRoutes() {
		tok, e, err := NewToken("quota "+rt.method+" "+rt.pattern, service.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		e.Rate, e.Burst = 1e-9, 1
		tf.Tokens = append(tf.Tokens, e)
		quota[rt.method+" "+rt.pattern] = tok
	}
	b, _ := json.Marshal(tf)
	quotaTokens, err := ParseTokens(b)
	if err != nil {
		t.Fatal(err)
	}
	once := Rate{PerSecond: 1e-9, Burst: 1}
	cfg := Config{Tokens: tt.tokens, MaxBodyBytes: 64, MaxUpload: 64, Limits: Limits{Photo: once, Payload: once, Web: once}}
	h := NewHandler(&fakeService{}, cfg)
	qcfg := cfg
	qcfg.Tokens = quotaTokens
	hq := NewHandler(&fakeService{}, qcfg)

	addr := 0
	seen := map[string]map[int]string{} // route → status → what was sent
	send := func(h http.Handler, rt route, what string, r *http.Request, remote string) *httptest.ResponseRecorder {
		t.Helper()
		if remote == "" {
			addr++
			remote = fmt.Sprintf("192.0.2.%d:1", addr%250+1)
			if addr >= 250 {
				remote = fmt.Sprintf("[2001:db8:%x::1]:1", addr) // another /64 each
			}
		}
		r.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		key := rt.method + " " + rt.pattern
		if seen[key] == nil {
			seen[key] = map[int]string{}
		}
		if _, ok := seen[key][rec.Code]; !ok {
			seen[key][rec.Code] = what
		}
		return rec
	}
	for _, rt := range testRoutes() {
		key := rt.method + " " + rt.pattern
		a := routeAnswers[key]
		sample := func(token string) *http.Request {
			r := sampleRequest(t, rt)
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			return r
		}
		admin := ""
		if rt.roles != nil {
			admin = tt.admin
			if rec := send(h, rt, "no token", sample(""), ""); rec.Code != 401 {
				t.Errorf("%s without a token: %d", key, rec.Code)
			}
			if rec := send(h, rt, "an unknown token", sample("rc_nope"), ""); rec.Code != 401 {
				t.Errorf("%s with an unknown token: %d", key, rec.Code)
			}
			for role, tok := range map[service.Role]string{service.RolePortal: tt.portal, service.RoleReviewer: tt.reviewer, service.RoleAdmin: tt.admin} {
				rec := send(h, rt, string(role)+"'s token", sample(tok), "")
				if denied := !admits(rt.roles, role); denied != (rec.Code == 403) {
					t.Errorf("%s with a %s token: %d (roles %v)", key, role, rec.Code, rt.roles)
				}
			}
			send(hq, rt, "within the token's quota", sample(quota[key]), "")
			if rec := send(hq, rt, "over the token's quota", sample(quota[key]), ""); rec.Code != 429 {
				t.Errorf("%s over the token's quota: %d", key, rec.Code)
			}
		} else {
			// Twice from one address: the second is over the route's anonymous rate, if it has one.
			remote := "198.51.100.7:1"
			if rt.pattern != "/v1/verify" {
				remote = fmt.Sprintf("198.51.100.%d:1", len(seen)+10)
			}
			send(h, rt, "a first request", sample(""), remote)
			rec := send(h, rt, "a second request from the address", sample(""), remote)
			if limited := slices.Contains(a.codes, "RATE_LIMITED"); limited != (rec.Code == 429) {
				t.Errorf("%s, the second request from one address: %d (rate limited: %v)", key, rec.Code, limited)
			}
		}
		if slices.Contains(a.codes, "UNSUPPORTED_MEDIA") {
			r := withBody(sample(admin), "text/plain", []byte(`{}`))
			if rec := send(h, rt, "a text/plain body", r, ""); rec.Code != 415 {
				t.Errorf("%s with a text/plain body: %d %s", key, rec.Code, rec.Body)
			}
		}
		if slices.Contains(a.codes, "BODY_TOO_LARGE") && !strings.HasPrefix(rt.pattern, "/v1/registry/") { // 64 MiB: too big to send here
			r := withBody(sample(admin), "application/json", []byte(`{"reason":"`+strings.Repeat("x", 100)+`"}`))
			if rec := send(h, rt, "a body over --max-body", r, ""); rec.Code != 413 {
				t.Errorf("%s with a body over the limit: %d %s", key, rec.Code, rec.Body)
			}
		}
		if rt.pattern == "/v1/verify" {
			ct, body := multipartFile(t, "image", 10)
			send(h, rt, "a photo that is no image", withBody(sample(""), ct, body), "")
			send(h, rt, "a multipart body without an image", withBody(sample(""), ct, []byte("--x--")), "")
		}
		if rt.pattern == "/v1/materials" {
			ct, body := multipartFile(t, "file", 100, "kind", "photo_2inch")
			if rec := send(h, rt, "a file over --max-upload", withBody(sample(admin), ct, body), ""); rec.Code != 413 {
				t.Errorf("%s with a file over the limit: %d %s", key, rec.Code, rec.Body)
			}
		}
		// The service failing with each code the route answers: the status the route gives it.
		for _, c := range a.codes {
			code, _, _ := strings.Cut(c, "=")
			e := service.NewError(code, "", "", "")
			if s := codeStatus(t, c); s != statusOf(e.Kind) {
				e.Kind = kindOf(t, s)
			}
			hs := NewHandler(&fakeService{err: e}, Config{Tokens: tt.tokens})
			rec := send(hs, rt, "the service answering "+c, sample(admin), "")
			if rec.Code >= 400 && errorCodeOf(rec.Body.Bytes()) == code && rec.Code != codeStatus(t, c) {
				t.Errorf("%s with the service answering %s: %d, want %d", key, c, rec.Code, codeStatus(t, c))
			}
		}
		if slices.Contains(a.ok, 304) {
			rec := send(h, rt, "GET", sample(""), "")
			if etag := rec.Header().Get("ETag"); rec.Code == 200 && etag != "" {
				for _, hdr := range [][2]string{{"If-None-Match", etag}, {"Range", "bytes=0-0"}, {"Range", "bytes=99999999-"}, {"If-Match", `"other"`}} {
					r := sample("")
					r.Header.Set(hdr[0], hdr[1])
					send(h, rt, hdr[0]+": "+hdr[1], r, "")
				}
			}
		}
	}
	for _, rt := range testRoutes() {
		key := rt.method + " " + rt.pattern
		op, ok := doc.operation(rt)
		if !ok {
			t.Errorf("openapi.json lacks %s", key)
			continue
		}
		statuses := routeStatuses(t, rt)
		for s, what := range seen[key] {
			if _, ok := op.Responses[strconv.Itoa(s)]; !ok {
				t.Errorf("%s answered %d to %s; openapi.json does not list it", key, s, what)
			}
			if _, ok := statuses[s]; !ok {
				t.Errorf("%s answered %d to %s; routeAnswers does not have it", key, s, what)
			}
		}
	}
}

// sampleRequest is a request the route takes: its path parameters filled in, a body of the
// kind it reads.
func sampleRequest(t *testing.T, rt route) *http.Request {
	t.Helper()
	path := strings.TrimSuffix(rt.pattern, "{$}")
	path = strings.NewReplacer("{item}", "qualification_renewal", "{id}", "a1", "{file}", "c1").Replace(path)
	if rt.method == "GET" {
		if path == "/v1/applications" {
			path += "?applicant_id=410105198005170018"
		}
		return httptest.NewRequest("GET", path, nil)
	}
	r := httptest.NewRequest(rt.method, path, nil)
	switch rt.pattern {
	case "/v1/materials":
		ct, body := multipartFile(t, "file", 10, "kind", "photo_2inch")
		return withBody(r, ct, body)
	case "/v1/precheck", "/v1/applications":
		return withBody(r, "application/json", []byte(`{"item":"qualification_renewal"}`))
	case "/v1/verify":
		return withBody(r, "application/json", []byte(`{"payload":"RC1:x"}`))
	case "/v1/registry/qualifications", "/v1/registry/vehicles", "/v1/policies/reload":
		return r
	}
	return withBody(r, "application/json", []byte(`{"reason":"r"}`)) // review actions, revoke
}

func withBody(r *http.Request, ctype string, body []byte) *http.Request {
	r2 := httptest.NewRequest(r.Method, r.URL.String(), bytes.NewReader(body))
	r2.Header = r.Header.Clone()
	r2.Header.Set("Content-Type", ctype)
	return r2
}

// multipartFile is a multipart body with a file part of n bytes and the given fields.
func multipartFile(t *testing.T, file string, n int, fields ...string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = w.WriteField(fields[i], fields[i+1])
	}
	fw, err := w.CreateFormFile(file, "f.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(bytes.Repeat([]byte{'x'}, n))
	_ = w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

// kindOf is an error kind the error encoder answers status with.
func kindOf(t *testing.T, status int) service.Kind {
	t.Helper()
	for k := service.KindInternal; k <= service.KindRateLimited; k++ {
		if statusOf(k) == status {
			return k
		}
	}
	t.Fatalf("no kind is answered with %d", status)
	return 0
}

func errorCodeOf(b []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &e)
	return e.Error.Code
}
