package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// fakeService records what reached it, so the tests can tell that a refused request never did.
type fakeService struct {
	calls   int
	lastApp service.Application
	err     error
}

func (f *fakeService) Precheck(_ context.Context, app service.Application) (service.Decision, error) {
	f.calls++
	f.lastApp = app
	if f.err != nil {
		return service.Decision{}, f.err
	}
	return service.Decision{Item: app.Item, AsOf: app.AsOf, Pass: true, PolicyRevision: "sha256:test"}, nil
}

func (f *fakeService) Items(context.Context) (service.Catalogue, error) {
	return service.Catalogue{Items: json.RawMessage(`[{"code":"qualification_renewal"}]`), Fields: json.RawMessage(`{}`)}, nil
}

// ParseApplication is the real contract of the built-in rulebook: the transport tests check
// what reaches the service, and the contract decides that.
func (f *fakeService) ParseApplication(_ context.Context, raw []byte) (service.Application, error) {
	return service.ParseApplicationDocument(builtinBook(), raw)
}

func (f *fakeService) Schema(_ context.Context, item string) (json.RawMessage, error) {
	return builtinBook().Contract().Schema(item), nil
}

var builtinBook = sync.OnceValue(func() *policies.Engine {
	e, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		panic(err)
	}
	return e
})

func (f *fakeService) Ready(context.Context) (service.Readiness, error) {
	return service.Readiness{Status: "ready"}, f.err
}

func (f *fakeService) Submit(context.Context, service.Application, string) (service.SubmitResult, error) {
	f.calls++
	return service.SubmitResult{}, f.err
}
func (f *fakeService) GetApplication(context.Context, string) (service.Submission, error) {
	f.calls++
	return service.Submission{}, f.err
}
func (f *fakeService) ListApplications(context.Context, service.ListFilter) (service.Page, error) {
	f.calls++
	return service.Page{}, f.err
}
func (f *fakeService) ReviewQueue(context.Context, service.QueueFilter) ([]service.Submission, error) {
	f.calls++
	return nil, f.err
}
func (f *fakeService) Review(context.Context, string, service.Action, string, string) (service.Submission, error) {
	f.calls++
	return service.Submission{}, f.err
}
func (f *fakeService) ImportRegistry(context.Context, service.RegistryKind, io.Reader) (service.ImportReport, error) {
	f.calls++
	return service.ImportReport{}, f.err
}

func (f *fakeService) Policies(context.Context) service.PolicyStatus { return service.PolicyStatus{} }
func (f *fakeService) ReloadPolicies(context.Context) (service.PolicyStatus, error) {
	f.calls++
	return service.PolicyStatus{}, f.err
}

func (f *fakeService) GetCertificate(context.Context, string) (service.CertificateView, error) {
	return service.CertificateView{}, f.err
}
func (f *fakeService) RenderCertificate(context.Context, string, string) ([]byte, error) {
	return nil, f.err
}
func (f *fakeService) RevokeCertificate(context.Context, string, string) (service.CertificateRecord, error) {
	f.calls++
	return service.CertificateRecord{}, f.err
}
func (f *fakeService) VerifyPayload(context.Context, string) (certs.Result, error) {
	return certs.Result{}, f.err
}
func (f *fakeService) VerifyPhoto(context.Context, io.Reader) (certs.Result, error) {
	return certs.Result{}, f.err
}
func (f *fakeService) TrustList(context.Context) (*certs.TrustList, error) {
	return &certs.TrustList{}, f.err
}
func (f *fakeService) Revocations(context.Context) (*certs.RevocationList, error) {
	return &certs.RevocationList{Version: 1, Revoked: []certs.Revocation{}}, f.err
}

func (f *fakeService) UploadMaterial(_ context.Context, kind string, data []byte) (service.Upload, error) {
	f.calls++
	if f.err != nil {
		return service.Upload{}, f.err
	}
	return service.Upload{ID: "m_test", Kind: kind, Facts: service.MaterialFacts{SizeBytes: int64(len(data))}}, nil
}

type testTokens struct {
	portal, reviewer, admin string
	tokens                  *Tokens
}

func newTestTokens(t *testing.T) testTokens {
	t.Helper()
	var tf TokenFile
	var tt testTokens
	for _, r := range []struct {
		role service.Role
		dst  *string
	}{{service.RolePortal, &tt.portal}, {service.RoleReviewer, &tt.reviewer}, {service.RoleAdmin, &tt.admin}} {
		tok, e, err := NewToken("test-"+string(r.role), r.role)
		if err != nil {
			t.Fatal(err)
		}
		*r.dst = tok
		tf.Tokens = append(tf.Tokens, e)
	}
	b, _ := json.Marshal(tf)
	var err error
	if tt.tokens, err = ParseTokens(b); err != nil {
		t.Fatal(err)
	}
	return tt
}

func do(t *testing.T, h http.Handler, method, path, token, body string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func errorCode(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			MessageZH string `json:"message_zh"`
			Field     string `json:"field"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body is not JSON: %s", b)
	}
	if e.Error.Message == "" || e.Error.MessageZH == "" {
		t.Errorf("error body lacks a message in both languages: %s", b)
	}
	return e.Error.Code
}

func TestPrecheckErrors(t *testing.T) {
	tt := newTestTokens(t)
	const good = `{"item":"qualification_renewal","as_of":"2026-10-20"}`
	tests := []struct {
		name, token, body string
		status            int
		code              string
	}{
		{"no token", "", good, 401, "UNAUTHENTICATED"},
		{"bad token", "rc_nope", good, 401, "UNAUTHENTICATED"},
		{"reviewer may not pre-check", tt.reviewer, good, 403, "FORBIDDEN"},
		{"malformed JSON", tt.portal, `{"item": `, 400, "INVALID_JSON"},
		{"syntax error", tt.portal, `{"item" "x"}`, 400, "INVALID_JSON"},
		{"empty body", tt.portal, ``, 400, "INVALID_JSON"},
		{"wrong type", tt.portal, `{"item": 7}`, 400, "INVALID_FIELD"},
		{"unknown field", tt.portal, `{"item":"qualification_renewal","colour":"red"}`, 400, "INVALID_FIELD"},
		{"two values", tt.portal, good + good, 400, "INVALID_JSON"},
		{"oversize body", tt.portal, `{"item":"` + strings.Repeat("x", 2048) + `"}`, 413, "BODY_TOO_LARGE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc := &fakeService{}
			h := NewHandler(svc, Config{Tokens: tt.tokens, MaxBodyBytes: 1024})
			res, b := do(t, h, "POST", "/v1/precheck", tc.token, tc.body)
			if res.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d; body %s", res.StatusCode, tc.status, b)
			}
			if got := errorCode(t, b); got != tc.code {
				t.Errorf("code = %q, want %q", got, tc.code)
			}
			if svc.calls != 0 {
				t.Errorf("the service was called %d times for a refused request", svc.calls)
			}
		})
	}
}

func TestPrecheckAdmitsPortalAndAdmin(t *testing.T) {
	tt := newTestTokens(t)
	for _, tok := range []string{tt.portal, tt.admin} {
		svc := &fakeService{}
		h := NewHandler(svc, Config{Tokens: tt.tokens})
		res, b := do(t, h, "POST", "/v1/precheck", tok, `{"item":"qualification_renewal","as_of":"2026-10-20","form":{"delivery":"mail"}}`)
		if res.StatusCode != 200 {
			t.Fatalf("status = %d: %s", res.StatusCode, b)
		}
		if svc.lastApp.Form["delivery"] != "mail" {
			t.Errorf("service got %+v, want the decoded form", svc.lastApp)
		}
		var d service.Decision
		if err := json.Unmarshal(b, &d); err != nil || d.Item != "qualification_renewal" || !d.Pass {
			t.Errorf("decision = %+v (%v)", d, err)
		}
	}
}

func TestServiceErrorsMapToStatus(t *testing.T) {
	tt := newTestTokens(t)
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{service.ErrUnknownItem("bogus"), 400, "UNKNOWN_ITEM"},
		{service.ErrInvalidField("as_of", "bad", "坏"), 400, "INVALID_FIELD"},
		{service.ErrStoreUnavailable(errors.New("down")), 503, "STORE_UNAVAILABLE"},
		{errors.New("boom"), 500, "INTERNAL"},
	}
	for _, tc := range tests {
		h := NewHandler(&fakeService{err: tc.err}, Config{Tokens: tt.tokens})
		res, b := do(t, h, "POST", "/v1/precheck", tt.portal, `{"item":"qualification_renewal"}`)
		if res.StatusCode != tc.status || errorCode(t, b) != tc.code {
			t.Errorf("%v: got %d %s, want %d %s", tc.err, res.StatusCode, b, tc.status, tc.code)
		}
		if strings.Contains(string(b), "boom") || strings.Contains(string(b), "down") {
			t.Errorf("internal cause leaked to the client: %s", b)
		}
	}
}

func TestPublicEndpoints(t *testing.T) {
	tt := newTestTokens(t)
	h := NewHandler(&fakeService{}, Config{Tokens: tt.tokens})
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json", "/v1/items"} {
		res, b := do(t, h, "GET", path, "", "")
		if res.StatusCode != 200 {
			t.Errorf("GET %s = %d: %s", path, res.StatusCode, b)
		}
	}
	res, b := do(t, h, "GET", "/v1/nothing", "", "")
	if res.StatusCode != 404 || errorCode(t, b) != "NOT_FOUND" {
		t.Errorf("unknown path: %d %s", res.StatusCode, b)
	}
	res, b = do(t, h, "GET", "/v1/precheck", tt.portal, "")
	if res.StatusCode != 405 {
		t.Errorf("GET on a POST route: %d %s", res.StatusCode, b)
	}
}

func TestReadyzReportsStore(t *testing.T) {
	tt := newTestTokens(t)
	h := NewHandler(&fakeService{err: service.ErrStoreUnavailable(errors.New("no server"))}, Config{Tokens: tt.tokens})
	res, b := do(t, h, "GET", "/readyz", "", "")
	if res.StatusCode != 503 || errorCode(t, b) != "STORE_UNAVAILABLE" {
		t.Errorf("readyz with the store down: %d %s", res.StatusCode, b)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	tt := newTestTokens(t)
	h := NewHandler(&fakeService{}, Config{Tokens: tt.tokens})
	do(t, h, "POST", "/v1/precheck", "", `{}`)
	_, b := do(t, h, "GET", "/metrics", "", "")
	if !strings.Contains(string(b), `roadcheck_http_requests_total{code="401",route="POST /v1/precheck"} 1`) {
		t.Errorf("metrics do not count the refused request:\n%s", b)
	}
}
