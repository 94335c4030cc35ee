// Package service is roadcheck's domain: reading application documents against the input
// contract, pre-checking them against the rulebook, taking submissions and their uploads,
// moving them through acceptance and review with working-day deadlines, issuing and revoking
// certificates, registry look-ups and policy reloads. It knows no HTTP and no storage driver;
// signing, rendering, storage and document reading come in through Config.
package service

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service/imagefacts"
	"github.com/roadcheck/roadcheck/verify"
)

// ChinaTime is the zone of every calendar date in roadcheck (China has no daylight saving).
var ChinaTime = time.FixedZone("CST", 8*3600)

// Service is what roadcheck offers its callers.
type Service interface {
	// ParseApplication reads an application document (raw JSON) against the input contract:
	// every field of the wrong type or format is reported at once (INVALID_FIELD).
	ParseApplication(ctx context.Context, raw []byte) (Application, error)
	// Precheck evaluates an application against the rulebook as of its as_of date (today in
	// China when empty).
	Precheck(ctx context.Context, app Application) (Decision, error)
	// Items describes the service items and the fields of the application document,
	// generated from the policy data.
	Items(ctx context.Context) (Catalogue, error)
	// Schema is the JSON Schema of an item's application document.
	Schema(ctx context.Context, item string) (json.RawMessage, error)
	// Submit pre-checks with the service clock and stores a passing application.
	Submit(ctx context.Context, app Application, idempotencyKey string) (SubmitResult, error)
	GetApplication(ctx context.Context, id string) (Submission, error)
	ListApplications(ctx context.Context, f ListFilter) (Page, error)
	ReviewQueue(ctx context.Context, f QueueFilter) ([]Submission, error)
	// Review is a reviewer's accept, reject, approve or deny.
	Review(ctx context.Context, id string, action Action, reason, grade string) (Submission, error)
	// ImportRegistry upserts registry records from JSON lines.
	ImportRegistry(ctx context.Context, kind RegistryKind, r io.Reader) (ImportReport, error)
	// Policies reports the serving rulebook; ReloadPolicies swaps in a tested candidate.
	Policies(ctx context.Context) PolicyStatus
	ReloadPolicies(ctx context.Context) (PolicyStatus, error)
	// Certificates: read (portal own, reviewers), render, revoke (admin), verify (anyone).
	GetCertificate(ctx context.Context, id string) (CertificateView, error)
	RenderCertificate(ctx context.Context, id, format string) ([]byte, error)
	RevokeCertificate(ctx context.Context, id, reason string) (CertificateRecord, error)
	VerifyPayload(ctx context.Context, payload string) (certs.Result, error)
	VerifyPhoto(ctx context.Context, photo io.Reader) (certs.Result, error)
	TrustList(ctx context.Context) (*certs.TrustList, error)
	// Revocations is the signed list of revoked certificates (certs.RevocationList).
	Revocations(ctx context.Context) (*certs.RevocationList, error)
	// UploadMaterial stores a material file for the calling portal and returns its facts.
	UploadMaterial(ctx context.Context, kind string, data []byte) (Upload, error)
	// Ready reports whether the store is reachable.
	Ready(ctx context.Context) (Readiness, error)
}

// Rulebook is the compiled policy set the service evaluates against.
type Rulebook interface {
	Revision() string
	LoadedAt() time.Time
	HasItem(code string) bool
	// Item is what approving the item issues and whether it is graded (items.json);
	// ItemCodes lists the items, sorted.
	Item(code string) (policies.Item, bool)
	ItemCodes() []string
	HasMaterial(kind string) bool
	// IDPhoto reports whether a material kind is an ID photo (limits.json photo_kinds), whose
	// background is classified on upload.
	IDPhoto(kind string) bool
	MaterialName(kind string) string // the catalogue's Chinese name; "" when unknown
	Catalogue() json.RawMessage
	Calendar() json.RawMessage
	Evaluate(ctx context.Context, input map[string]any) (policies.Outcome, error)
	Contract() *policies.Contract
	// Evaluator is the path Evaluate takes: the compiled plan, or OPA's interpreter (--eval).
	Evaluator() policies.Evaluator
}

// Store is the persistence the service needs.
type Store interface {
	Ping(ctx context.Context) error
	// ProbeWrite upserts a tiny document (the probes collection), to learn whether the store
	// takes writes: a server can answer pings and still refuse writes (disk full, no primary).
	ProbeWrite(ctx context.Context) error
	// LastWriteError is the failure of the store's most recent write when no write has
	// succeeded since, nil otherwise. Refusals that are answers (duplicate key, not found) and
	// writes abandoned by their caller are not failures.
	LastWriteError() error
	Registry
	Materials
	Applications
	Certificates
}

// Registry holds the qualification and vehicle records applications may reference.
type Registry interface {
	// Qualification returns the registry record for a certificate number; ErrNotFound if none.
	Qualification(ctx context.Context, number string) (Qualification, error)
	// Vehicle returns the registry record for a plate; ErrNotFound if none.
	Vehicle(ctx context.Context, plate string) (Vehicle, error)
	PutQualification(ctx context.Context, q Qualification) error
	PutVehicle(ctx context.Context, v Vehicle) error
}

// Materials holds uploaded files and their facts.
type Materials interface {
	// PutMaterial stores an upload's record and bytes.
	PutMaterial(ctx context.Context, u Upload, data []byte) error
	// Material returns an upload's record; ErrNotFound if none.
	Material(ctx context.Context, id string) (Upload, error)
}

// ErrNotFound is returned by a Store when a record does not exist.
var ErrNotFound = errors.New("not found")

// Decision is the pre-check result of the API contract.
type Decision struct {
	Item              string                      `json:"item"`
	AsOf              string                      `json:"as_of"`
	Pass              bool                        `json:"pass"`
	Violations        []policies.Violation        `json:"violations"`
	RequiredMaterials []policies.RequiredMaterial `json:"required_materials"`
	Deadlines         *Deadlines                  `json:"deadlines,omitempty"`
	PolicyRevision    string                      `json:"policy_revision"`
}

// Rules is a rulebook with its parsed calendar; swapped as a whole on reload.
type Rules struct {
	Book     Rulebook
	Calendar *Calendar
}

// NewRules pairs a rulebook with the working-day calendar of its data. It refuses a rulebook
// whose items name a certificate or grade the service cannot issue (see checkIssuance).
func NewRules(book Rulebook) (*Rules, error) {
	cal, err := ParseCalendar(book.Calendar())
	if err != nil {
		return nil, err
	}
	for _, code := range book.ItemCodes() {
		it, _ := book.Item(code)
		if err := checkIssuance(it); err != nil {
			return nil, err
		}
	}
	return &Rules{Book: book, Calendar: cal}, nil
}

// Config wires a service.
type Config struct {
	Rules    *Rules
	Store    Store
	Analyzer Analyzer // material facts; nil uses imagefacts with its default limits
	// Reader reads what each uploaded image shows (facts.content); nil: no content facts.
	Reader DocumentReader
	CA     CertificateAuthority
	// Renderer draws certificates as PNG and PDF (render.New() from certs/render); nil: asking
	// for a rendering is CodeStoreUnavailable.
	Renderer CertificateRenderer
	Photos   PhotoVerifier // nil uses verify.NewDecoder with its default limits
	Now      func() time.Time
	// PolicySource, when set, makes the rulebook reloadable; PolicySourceName describes it.
	PolicySource     PolicySource
	PolicySourceName string
}

type roadcheck struct {
	rules    atomic.Pointer[Rules]
	store    Store
	analyzer Analyzer
	reader   DocumentReader
	ca       CertificateAuthority
	renderer CertificateRenderer
	photos   PhotoVerifier
	now      func() time.Time
	shaper   *inputShaper

	probe       writeProbe
	revocations revocationCache

	reloadMu     sync.Mutex // one reload at a time
	policySource PolicySource
	policyName   string
	lastRefused  *RefusedReload
}

// New builds the service.
func New(cfg Config) (Service, error) {
	if cfg.Rules == nil || cfg.Store == nil {
		return nil, errors.New("service: rules and store are required")
	}
	s := &roadcheck{store: cfg.Store, analyzer: cfg.Analyzer, reader: cfg.Reader, ca: cfg.CA, renderer: cfg.Renderer, photos: cfg.Photos, now: cfg.Now,
		shaper:       newInputShaper(),
		policySource: cfg.PolicySource, policyName: cfg.PolicySourceName}
	if s.policyName == "" {
		s.policyName = "built-in"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.analyzer == nil {
		s.analyzer = imagefacts.NewAnalyzer(imagefacts.Limits{})
	}
	if s.photos == nil {
		s.photos = verify.NewDecoder(verify.Limits{})
	}
	s.rules.Store(cfg.Rules)
	return s, nil
}

// Today is the current calendar date in China.
func Today(now time.Time) string { return now.In(ChinaTime).Format(DateLayout) }

func (s *roadcheck) Precheck(ctx context.Context, app Application) (Decision, error) {
	if app.AsOf == "" {
		app.AsOf = Today(s.now())
	}
	return s.evaluateResolved(ctx, &app)
}

// evaluateResolved checks the document's shape, resolves registry references and upload ids in
// place, and runs the rulebook.
func (s *roadcheck) evaluateResolved(ctx context.Context, app *Application) (Decision, error) {
	rules := s.rules.Load()
	if _, err := itemOf(rules.Book, app.Item); app.Item == "" || err != nil {
		if app.Item == "" {
			return Decision{}, newError(CodeUnknownItem, "item", "缺少服务事项 item", "item is required")
		}
		return Decision{}, err
	}
	if err := s.shaper.checkContract(rules.Book.Contract(), app); err != nil {
		return Decision{}, err
	}
	asOf, err := time.Parse(DateLayout, app.AsOf)
	if err != nil { // the contract admits only real dates; this is the fallback for a bad default
		return Decision{}, ErrInvalidField("as_of", "as_of is not a YYYY-MM-DD date", "as_of 不是 YYYY-MM-DD 格式的日期")
	}
	if err := s.resolve(ctx, app); err != nil {
		return Decision{}, err
	}
	if err := s.resolveMaterials(ctx, app); err != nil {
		return Decision{}, err
	}
	input, err := s.shaper.input(*app)
	if err != nil {
		return Decision{}, err
	}
	out, err := rules.Book.Evaluate(ctx, input)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{
		Item:              app.Item,
		AsOf:              app.AsOf,
		Pass:              passes(out.Violations),
		Violations:        out.Violations,
		RequiredMaterials: out.RequiredMaterials,
		PolicyRevision:    rules.Book.Revision(),
	}
	if d.Pass {
		dl := rules.Calendar.DeadlinesFrom(asOf)
		d.Deadlines = &dl
	}
	return d, nil
}

func passes(vs []policies.Violation) bool {
	for _, v := range vs {
		if v.Severity == "error" {
			return false
		}
	}
	return true
}

// resolve replaces registry references ({"number"} / {"plate"}) with the registry's records,
// or marks them not found so the rulebook reports *_NOT_FOUND.
func (s *roadcheck) resolve(ctx context.Context, app *Application) error {
	notFound := false
	if app.Qualification.IsReference() {
		q, err := s.store.Qualification(ctx, app.Qualification.Number)
		switch {
		case errors.Is(err, ErrNotFound):
			app.Qualification = &Qualification{Number: app.Qualification.Number, Found: &notFound}
		case err != nil:
			return ErrStoreUnavailable(err)
		default:
			app.Qualification = &q
		}
	}
	if app.Vehicle.IsReference() {
		v, err := s.store.Vehicle(ctx, app.Vehicle.Plate)
		switch {
		case errors.Is(err, ErrNotFound):
			app.Vehicle = &Vehicle{Plate: app.Vehicle.Plate, Found: &notFound}
		case err != nil:
			return ErrStoreUnavailable(err)
		default:
			app.Vehicle = &v
		}
	}
	return nil
}

// Catalogue is GET /v1/items: the items, and the declared type of every field of the
// application document.
type Catalogue struct {
	Items  json.RawMessage `json:"items"`
	Fields json.RawMessage `json:"fields"`
}

func (s *roadcheck) Items(context.Context) (Catalogue, error) {
	book := s.rules.Load().Book
	return Catalogue{Items: book.Catalogue(), Fields: book.Contract().Fields()}, nil
}

func (s *roadcheck) Schema(_ context.Context, item string) (json.RawMessage, error) {
	sch := s.rules.Load().Book.Contract().Schema(item)
	if sch == nil {
		return nil, ErrUnknownItem(item)
	}
	return sch, nil
}

// Ready reports whether the store answers and takes writes: it fails after a write failure the
// store reports, or when the write probe fails, and recovers once a probe succeeds.
// Readiness is what GET /readyz reports when the service can take work: its status and the
// state of the parts that degrade it without stopping it.
type Readiness struct {
	Status  string            `json:"status"`            // ready
	Details map[string]string `json:"details,omitempty"` // ocr: ready | unavailable (content unverified, faces still read) | off
}

func (s *roadcheck) Ready(ctx context.Context) (Readiness, error) {
	if err := s.store.Ping(ctx); err != nil {
		return Readiness{}, ErrStoreUnavailable(err)
	}
	if err := s.probe.check(ctx, s.store); err != nil {
		return Readiness{}, ErrStoreUnavailable(err)
	}
	ocr := "off"
	switch {
	case s.reader != nil && s.reader.TextAvailable():
		ocr = "ready"
	case s.reader != nil:
		ocr = "unavailable"
	}
	return Readiness{Status: "ready", Details: map[string]string{"store": "ready", "ocr": ocr}}, nil
}

// Write probe timing: a probe runs when Ready is asked and the last probe is older than
// probeInterval (probeRetry after a failure), so /readyz polled every few seconds probes about
// every 10 s, and a flood of /readyz requests writes no more often than that.
const (
	probeInterval = 10 * time.Second
	probeRetry    = time.Second
	probeTimeout  = 5 * time.Second
)

type writeProbe struct {
	mu   sync.Mutex
	at   time.Time // of the last probe (monotonic)
	last error
}

func (p *writeProbe) check(ctx context.Context, st Store) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	wait := probeInterval
	if p.last != nil {
		wait = probeRetry
	}
	if p.at.IsZero() || time.Since(p.at) >= wait {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), probeTimeout)
		p.last = st.ProbeWrite(pctx)
		cancel()
		p.at = time.Now()
	}
	if p.last != nil {
		return p.last
	}
	return st.LastWriteError()
}
