// Package transport is roadcheck's HTTP face: go-kit endpoints over service.Service, one route
// table, one JSON decoder with a body limit, one error encoder, auth and instrumentation.
package transport

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"runtime"
	"strings"

	"github.com/go-kit/kit/endpoint"
	httptransport "github.com/go-kit/kit/transport/http"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/roadcheck/roadcheck/service"
)

// DefaultMaxBodyBytes bounds JSON request bodies. An application document with inline facts
// is a few kilobytes; 1 MiB leaves room without letting a client exhaust memory.
const DefaultMaxBodyBytes = 1 << 20

//go:embed openapi.json
var openAPI []byte

//go:embed web
var webFiles embed.FS

// Config configures the HTTP handler.
type Config struct {
	Tokens       *Tokens
	Logger       *slog.Logger
	Registry     *prometheus.Registry // metrics are registered here and served at /metrics
	MaxBodyBytes int64
	MaxUpload    int64 // largest material upload in bytes
	Limits       Limits
	// MetricsElsewhere leaves /metrics out of this handler (serve --metrics-addr serves it on
	// its own listener).
	MetricsElsewhere bool
}

// route is one line of the route table. roles == nil means no authentication.
type route struct {
	method, pattern string
	roles           []service.Role
	handler         http.Handler
}

// NewHandler builds the HTTP handler of the service.
func NewHandler(svc service.Service, cfg Config) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUploadBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	routes := routeTable(svc, cfg)

	m := newMetrics(cfg.Registry)
	mux := http.NewServeMux()
	for _, rt := range routes {
		h := rt.handler
		if rt.roles != nil {
			h = requireRole(cfg.Tokens, rt.roles, h)
		}
		mux.Handle(rt.method+" "+rt.pattern, instrument(m, cfg.Logger, rt.method+" "+rt.pattern, h))
	}
	mux.Handle("/", instrument(m, cfg.Logger, "unmatched", unmatched(mux)))
	return recoverPanics(cfg.Logger, mux)
}

// routeTable is every route of the API: method, pattern, roles, handler.
func routeTable(svc service.Service, cfg Config) []route {
	e := makeEndpoints(svc)
	opts := []httptransport.ServerOption{
		httptransport.ServerErrorEncoder(errorEncoder(cfg.Logger)),
	}
	kit := func(ep endpoint.Endpoint, dec httptransport.DecodeRequestFunc, enc httptransport.EncodeResponseFunc) http.Handler {
		return httptransport.NewServer(ep, dec, enc, opts...)
	}
	limit := cfg.MaxBodyBytes
	lim := cfg.Limits
	if lim.PhotoSlots <= 0 {
		lim.PhotoSlots = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if lim.UploadSlots <= 0 {
		lim.UploadSlots = 2 * runtime.GOMAXPROCS(0)
	}
	if lim.SlotWait <= 0 {
		lim.SlotWait = DefaultSlotWait
	}
	if lim.BodyReadTimeout <= 0 {
		lim.BodyReadTimeout = DefaultBodyReadTimeout
	}
	if lim.BodyBudget <= 0 {
		lim.BodyBudget = DefaultBodyBudget
	}
	// Image work holds a slot of its own pool (anonymous photos never take a portal's upload
	// slot), taken after the body is read, under its own read deadline.
	photoSlots := newSlots(lim.PhotoSlots, lim.SlotWait).withWorkShare(lim.PhotoShare, runtime.GOMAXPROCS(0))
	uploadSlots := newSlots(lim.UploadSlots, lim.SlotWait)
	isPhoto := func(req any) bool { return req.(verifyRequest).photo != nil }
	// The bodies being read are bounded in bytes, per pool, instead.
	photoBytes, uploadBytes := &bodyBudget{max: lim.BodyBudget}, &bodyBudget{max: lim.BodyBudget}
	upload := bodyDeadline(lim.BodyReadTimeout, uploadBytes.hold(kit(withSlot(uploadSlots, nil, e.upload), decodeUpload(cfg.MaxUpload), encodeJSON(http.StatusCreated))))
	verify := bodyDeadline(lim.BodyReadTimeout, photoBytes.hold(kit(withSlot(photoSlots, isPhoto, e.verify), decodeVerify(limit), encodeJSON(http.StatusOK))))
	// Anonymous endpoints are rate limited per client address, photos and payloads apart.
	photoRate, payloadRate := newKeyedLimiter(lim.Photo, lim.MaxClients), newKeyedLimiter(lim.Payload, lim.MaxClients)
	webRate := newKeyedLimiter(lim.Web, lim.MaxClients)
	pit := newTarpit(DefaultTarpitHeld, lim.TarpitDelay)
	verify = limitByAddr(lim.Proxies, pit, func(r *http.Request) *keyedLimiter {
		if isMultipart(r) {
			return photoRate
		}
		return payloadRate
	}, verify)
	web := func(h http.Handler) http.Handler {
		return limitByAddr(lim.Proxies, pit, func(*http.Request) *keyedLimiter { return webRate }, h)
	}
	portal := []service.Role{service.RolePortal}
	reviewer := []service.Role{service.RoleReviewer}
	portalOrReviewer := []service.Role{service.RolePortal, service.RoleReviewer}
	admin := []service.Role{service.RoleAdmin}
	review := func(a service.Action) http.Handler {
		return kit(e.review, decodeReview(a, limit), encodeJSON(http.StatusOK))
	}
	importer := func(k service.RegistryKind) http.Handler {
		return kit(e.importRegistry, decodeImport(k, DefaultMaxImportBytes), encodeJSON(http.StatusOK))
	}

	var metricsRoute []route
	if !cfg.MetricsElsewhere {
		metricsRoute = []route{{"GET", "/metrics", nil, promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{})}}
	}
	return append(append(metricsRoute, []route{
		{"GET", "/healthz", nil, http.HandlerFunc(healthz)},
		{"GET", "/readyz", nil, kit(e.ready, decodeNothing, encodeJSON(http.StatusOK))},
		{"GET", "/openapi.json", nil, kit(e.openapi, decodeNothing, encodeRaw("application/json; charset=utf-8"))},
		{"GET", "/v1/items", nil, kit(e.items, decodeNothing, encodeJSON(http.StatusOK))},
		{"GET", "/v1/items/{item}/schema", nil, kit(e.schema, decodeItem, encodeRaw("application/schema+json"))},
		{"POST", "/v1/precheck", portal, kit(e.precheck, decodeDocument(limit), encodeJSON(http.StatusOK))},
		{"POST", "/v1/materials", portal, upload},
		{"POST", "/v1/applications", portal, kit(e.submit, decodeSubmit(limit), encodeSubmit)},
		{"GET", "/v1/applications", portal, kit(e.list, decodeList, encodeJSON(http.StatusOK))},
		{"GET", "/v1/applications/{id}", portalOrReviewer, kit(e.get, decodeID, encodeJSON(http.StatusOK))},
		{"POST", "/v1/applications/{id}/accept", reviewer, review(service.ActionAccept)},
		{"POST", "/v1/applications/{id}/reject", reviewer, review(service.ActionReject)},
		{"POST", "/v1/applications/{id}/approve", reviewer, review(service.ActionApprove)},
		{"POST", "/v1/applications/{id}/deny", reviewer, review(service.ActionDeny)},
		{"GET", "/v1/review/queue", reviewer, kit(e.queue, decodeQueue, encodeJSON(http.StatusOK))},
		{"POST", "/v1/registry/qualifications", admin, importer(service.RegistryQualifications)},
		{"POST", "/v1/registry/vehicles", admin, importer(service.RegistryVehicles)},
		{"GET", "/v1/certificates/{file}", portalOrReviewer, kit(e.certificate, decodeCertificate, encodeCertificate)},
		{"POST", "/v1/certificates/{id}/revoke", admin, kit(e.revoke, decodeRevoke(limit), encodeJSON(http.StatusOK))},
		{"POST", "/v1/verify", nil, verify},
		{"GET", "/v1/trust-list", nil, web(kit(e.trustList, decodeNothing, encodeJSON(http.StatusOK)))},
		{"GET", "/v1/revocations", nil, web(kit(e.revocations, decodeNothing, encodeJSON(http.StatusOK)))},
		{"GET", "/v1/policies", admin, kit(e.policies, decodeNothing, encodeJSON(http.StatusOK))},
		{"POST", "/v1/policies/reload", admin, kit(e.reload, decodeNothing, encodeJSON(http.StatusOK))},
	}...), webRoutes(web)...)
}

type endpoints struct {
	precheck, upload, items, schema, ready, openapi  endpoint.Endpoint
	submit, get, list, queue, review, importRegistry endpoint.Endpoint
	policies, reload                                 endpoint.Endpoint
	certificate, revoke, verify, trustList           endpoint.Endpoint
	revocations                                      endpoint.Endpoint
}

func makeEndpoints(svc service.Service) endpoints {
	return endpoints{
		precheck: func(ctx context.Context, req any) (any, error) {
			app, err := svc.ParseApplication(ctx, req.([]byte))
			if err != nil {
				return nil, err
			}
			return svc.Precheck(ctx, app)
		},
		openapi: func(ctx context.Context, _ any) (any, error) {
			return openAPIDocument(ctx, svc)
		},
		schema: func(ctx context.Context, req any) (any, error) {
			return svc.Schema(ctx, req.(string))
		},
		submit: func(ctx context.Context, req any) (any, error) {
			r := req.(submitRequest)
			app, err := svc.ParseApplication(ctx, r.doc)
			if err != nil {
				return nil, err
			}
			res, err := svc.Submit(ctx, app, r.idemKey)
			if err != nil {
				return nil, err
			}
			return submitOutcome(res), nil
		},
		get: func(ctx context.Context, req any) (any, error) {
			return svc.GetApplication(ctx, req.(string))
		},
		list: func(ctx context.Context, req any) (any, error) {
			return svc.ListApplications(ctx, req.(service.ListFilter))
		},
		queue: func(ctx context.Context, req any) (any, error) {
			items, err := svc.ReviewQueue(ctx, req.(service.QueueFilter))
			if err != nil {
				return nil, err
			}
			return map[string]any{"items": items}, nil
		},
		review: func(ctx context.Context, req any) (any, error) {
			r := req.(reviewRequest)
			return svc.Review(ctx, r.id, r.action, r.Reason, r.Grade)
		},
		importRegistry: func(ctx context.Context, req any) (any, error) {
			r := req.(importRequest)
			rep, err := svc.ImportRegistry(ctx, r.kind, r.body)
			if err != nil {
				return nil, importError(err, DefaultMaxImportBytes)
			}
			return rep, nil
		},
		certificate: func(ctx context.Context, req any) (any, error) {
			r := req.(certificateRequest)
			if r.format == "" {
				return svc.GetCertificate(ctx, r.id)
			}
			b, err := svc.RenderCertificate(ctx, r.id, r.format)
			if err != nil {
				return nil, err
			}
			ct := map[string]string{"png": "image/png", "pdf": "application/pdf"}[r.format]
			return rendered{contentType: ct, filename: r.id + "." + r.format, body: b}, nil
		},
		revoke: func(ctx context.Context, req any) (any, error) {
			r := req.(reasonRequest)
			return svc.RevokeCertificate(ctx, r.id, r.Reason)
		},
		verify: func(ctx context.Context, req any) (any, error) {
			r := req.(verifyRequest)
			if r.photo != nil {
				return svc.VerifyPhoto(ctx, bytes.NewReader(r.photo))
			}
			return svc.VerifyPayload(ctx, r.Payload)
		},
		trustList: func(ctx context.Context, _ any) (any, error) {
			return svc.TrustList(ctx)
		},
		revocations: func(ctx context.Context, _ any) (any, error) {
			return svc.Revocations(ctx)
		},
		policies: func(ctx context.Context, _ any) (any, error) {
			return svc.Policies(ctx), nil
		},
		reload: func(ctx context.Context, _ any) (any, error) {
			return svc.ReloadPolicies(ctx)
		},
		upload: func(ctx context.Context, req any) (any, error) {
			r := req.(uploadRequest)
			return svc.UploadMaterial(ctx, r.kind, r.data)
		},
		items: func(ctx context.Context, _ any) (any, error) {
			items, err := svc.Items(ctx)
			if err != nil {
				return nil, err
			}
			return items, nil
		},
		ready: func(ctx context.Context, _ any) (any, error) {
			r, err := svc.Ready(ctx)
			if err != nil {
				return nil, err
			}
			return r, nil
		},
	}
}

// decodeJSON is the one JSON request decoder of the route table.
func decodeJSON[T any](limit int64) httptransport.DecodeRequestFunc {
	return func(_ context.Context, r *http.Request) (any, error) {
		body, err := readJSONBody(r, limit)
		if err != nil {
			return nil, err
		}
		var v T
		if err := service.DecodeStrict(body, &v); err != nil {
			return nil, err
		}
		return v, nil
	}
}

// decodeDocument reads an application document's bytes; the service reads them against the
// serving rulebook's contract (service.ParseApplication).
func decodeDocument(limit int64) httptransport.DecodeRequestFunc {
	return func(_ context.Context, r *http.Request) (any, error) {
		return readJSONBody(r, limit)
	}
}

// readJSONBody reads a JSON request body: it must be declared application/json (415
// UNSUPPORTED_MEDIA otherwise, so a form post or a file is never guessed at) and at most limit
// bytes (413 BODY_TOO_LARGE).
func readJSONBody(r *http.Request, limit int64) ([]byte, error) {
	if err := requireJSON(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(&limitedReader{r: r.Body, limit: limit})
	if err != nil {
		return nil, decodeError(err, limit)
	}
	return body, nil
}

func requireJSON(contentType string) error {
	mt, _, err := mime.ParseMediaType(contentType)
	if err == nil && (mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return nil
	}
	got, gotZH := contentType, contentType
	if got == "" {
		got, gotZH = "none", "未设置"
	}
	return service.NewError(service.CodeUnsupportedMedia, "",
		fmt.Sprintf("此接口只接受 JSON 请求体，请设置 Content-Type: application/json（收到：%s）", gotZH),
		fmt.Sprintf("this endpoint takes a JSON body sent as Content-Type: application/json (got %s)", got))
}

// DecodeJSON reads exactly one JSON value of at most limit bytes into v, as the API reads a
// body: keys match exactly, duplicate and unknown keys are refused (service.DecodeStrict).
// The command line uses it too, so a document is judged the same way offline and online.
func DecodeJSON(r io.Reader, limit int64, v any) error {
	body, err := ReadLimited(r, limit)
	if err != nil {
		return err
	}
	return service.DecodeStrict(body, v)
}

// ReadLimited reads at most limit bytes, failing with BODY_TOO_LARGE beyond.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(&limitedReader{r: r, limit: limit})
	if err != nil {
		return nil, decodeError(err, limit)
	}
	return body, nil
}

// limitedReader fails (rather than truncating, as io.LimitReader does) once more than limit
// bytes are read, so an oversize document is an error and never a silently cut one.
type limitedReader struct {
	r           io.Reader
	limit, read int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.read > l.limit {
		return 0, &http.MaxBytesError{Limit: l.limit}
	}
	if int64(len(p)) > l.limit-l.read+1 {
		p = p[:l.limit-l.read+1]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.read > l.limit {
		return n, &http.MaxBytesError{Limit: l.limit}
	}
	return n, err
}

// WriteError writes err in the API's error envelope, as the command line prints it.
func WriteError(w io.Writer, err error) {
	e := service.AsError(err)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(errorBodyOf(e))
}

func decodeNothing(context.Context, *http.Request) (any, error) { return nil, nil }

func decodeItem(_ context.Context, r *http.Request) (any, error) { return r.PathValue("item"), nil }

func encodeJSON(status int) httptransport.EncodeResponseFunc {
	return func(_ context.Context, w http.ResponseWriter, resp any) error {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(status)
		return json.NewEncoder(w).Encode(resp)
	}
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// encodeRaw writes a JSON document that is already encoded.
func encodeRaw(contentType string) httptransport.EncodeResponseFunc {
	return func(_ context.Context, w http.ResponseWriter, resp any) error {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, err := w.Write(resp.(json.RawMessage))
		return err
	}
}

// unmatched answers requests no route takes, in the API's error format: 405 with Allow when the
// path exists for other methods, 404 otherwise.
func unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, &service.Error{Code: service.CodeMethodNotAllowed,
				MessageEN: r.Method + " is not allowed on " + r.URL.Path + "; allowed: " + strings.Join(allow, ", "),
				Message:   "该接口不支持此请求方法"})
			return
		}
		writeError(w, &service.Error{Code: service.CodeNotFound,
			MessageEN: "no such endpoint: " + r.Method + " " + r.URL.Path, Message: "接口不存在"})
	})
}
