// Command demo walks a running roadcheck through its whole life, as a portal and a reviewer
// would: it uploads photographed documents, submits a driver integrity assessment and a
// freight-vehicle annual review, accepts and approves both, downloads each certificate as PNG
// and PDF, verifies them through the API and offline with `roadcheck verify`, and prints what
// it did. `make demo` runs it against `make run`.
//
// The server is ROADCHECK_URL (default http://localhost:8080). Roles are separate on purpose,
// so it needs two tokens: the portal's in ROADCHECK_TOKEN and the reviewer's in
// ROADCHECK_REVIEWER_TOKEN; unset, they are read from the development tokens `make run`
// writes under ROADCHECK_DATA (default ./data). The documents are drawn by content/docgen for
// one made-up person, so the service's document reading finds the applicant's own ID number and
// plate on them.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/content/docgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// config is where the demo finds the service and what it writes.
type config struct {
	url, portal, reviewer string
	out                   string // directory for the certificates and lists
	roadcheck             string // the roadcheck binary for the offline check
}

func loadConfig(args []string, getenv func(string) string) (config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := config{url: strings.TrimRight(env("ROADCHECK_URL", "http://localhost:8080"), "/"),
		out: env("DEMO_OUT", "demo-out"), roadcheck: env("ROADCHECK_BIN", "bin/roadcheck")}
	if len(args) > 0 {
		return c, fmt.Errorf("no arguments expected (configure with ROADCHECK_URL, ROADCHECK_TOKEN, ROADCHECK_REVIEWER_TOKEN)")
	}
	data := env("ROADCHECK_DATA", "data")
	var err error
	if c.portal, err = token(getenv("ROADCHECK_TOKEN"), filepath.Join(data, "dev-portal.token")); err != nil {
		return c, fmt.Errorf("portal token: set ROADCHECK_TOKEN or start `make run` first: %w", err)
	}
	if c.reviewer, err = token(getenv("ROADCHECK_REVIEWER_TOKEN"), filepath.Join(data, "dev-reviewer.token")); err != nil {
		return c, fmt.Errorf("reviewer token: set ROADCHECK_REVIEWER_TOKEN or start `make run` first: %w", err)
	}
	return c, nil
}

func token(v, file string) (string, error) {
	if v != "" {
		return v, nil
	}
	b, err := os.ReadFile(file)
	return strings.TrimSpace(string(b)), err
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	c, err := loadConfig(args, getenv)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	d := &demo{c: c, http: &http.Client{Timeout: 60 * time.Second}, w: stdout, ctx: ctx}
	d.say("roadcheck demo against %s", c.url)
	if _, err := d.call("GET", "/readyz", "", nil, "", 200); err != nil {
		return fmt.Errorf("the service is not ready (is `make run` running?): %w", err)
	}
	person := newPerson()
	d.say("applicant: %s, ID number %s, plate %s (made up; the documents are drawn for this person)", person.Name, person.IDNumber, person.Plate)

	var certs []string
	for _, app := range []application{integrityAssessment(person), annualReview(person)} {
		id, err := d.walk(app, person)
		if err != nil {
			return fmt.Errorf("%s: %w", app.item, err)
		}
		certs = append(certs, id)
	}
	if err := d.lists(); err != nil {
		return err
	}
	for _, id := range certs {
		if err := d.verify(id); err != nil {
			return err
		}
	}
	d.say("done: %d applications approved, %d certificates issued and verified; files in %s/", len(certs), len(certs), c.out)
	return nil
}

type demo struct {
	c    config
	http *http.Client
	w    io.Writer
	ctx  context.Context
	step int
}

func (d *demo) say(format string, a ...any) { fmt.Fprintf(d.w, format+"\n", a...) }

func (d *demo) did(format string, a ...any) {
	d.step++
	fmt.Fprintf(d.w, "%2d. %s\n", d.step, fmt.Sprintf(format, a...))
}

// call sends one request and insists on the status the API promises.
func (d *demo) call(method, path, token string, body io.Reader, contentType string, want int) ([]byte, error) {
	req, err := http.NewRequestWithContext(d.ctx, method, d.c.url+path, body)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 32<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != want {
		return b, fmt.Errorf("%s %s: status %d, want %d: %.600s", method, path, res.StatusCode, want, b)
	}
	return b, nil
}

func (d *demo) callJSON(method, path, token string, in, out any, want int) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	b, err := d.call(method, path, token, body, "application/json", want)
	if err != nil {
		return err
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// application is one submission: the document without its materials, the kinds to upload,
// and how the reviewer approves it.
type application struct {
	item, title string
	doc         map[string]any
	materials   []string
	approve     map[string]any
}

func newPerson() docgen.Person {
	people, err := docgen.Generate(docgen.Options{Seed: uint64(time.Now().UnixNano()), Kinds: []string{docgen.KindIDCard}, Clean: true})
	if err != nil || len(people) == 0 {
		panic(fmt.Sprint("docgen: ", err)) // the generator's own fonts are embedded: cannot fail
	}
	return people[0].Person
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func chinaToday() time.Time { return time.Now().In(time.FixedZone("CST", 8*3600)) }

// integrityAssessment is due today: the qualification was first issued a year ago, so today
// opens the first assessment window.
func integrityAssessment(p docgen.Person) application {
	today := chinaToday()
	first := today.AddDate(-1, 0, 0)
	if first.Day() != today.Day() { // 29 February: a year back lands on 1 March
		first = today.AddDate(-1, 0, -1)
	}
	return application{
		item: "driver_integrity_assessment", title: "驾驶员诚信考核 driver integrity assessment",
		doc: map[string]any{
			"item":      "driver_integrity_assessment",
			"applicant": map[string]any{"kind": "natural", "id_number": p.IDNumber, "name": p.Name, "real_name_verified": true, "phone": "13812345678"},
			"qualification": map[string]any{
				"number": p.Qual, "holder_id_number": p.IDNumber, "holder_name": p.Name, "categories": []string{"freight_driver"},
				"first_issued": day(first), "expires": day(today.AddDate(5, 0, 0)), "status": "valid", "work_unit": p.Company,
				"info_changed": false, "last_assessed_cycle_end": day(first),
			},
			"form": map[string]any{"work_unit": p.Company},
		},
		materials: []string{docgen.KindStudyRecord, docgen.KindQualificationInfo, docgen.KindQualificationViol},
		approve:   map[string]any{"grade": "AA"},
	}
}

// annualReview is last year's vehicle coming up for this year's review.
func annualReview(p docgen.Person) application {
	today := chinaToday()
	return application{
		item: "freight_annual_review", title: "货运车辆年审 freight-vehicle annual review",
		doc: map[string]any{
			"item":      "freight_annual_review",
			"applicant": map[string]any{"kind": "legal", "name": p.Company, "credit_code": "91410105317452851L", "permit_number": p.Transport, "phone": "13912345678"},
			"vehicle": map[string]any{
				"plate": p.Plate, "plate_colour": "yellow", "owner_permit_number": p.Transport, "owner_name": p.Company,
				"transport_cert_number": p.Transport, "cert_issued": day(today.AddDate(-2, 0, 0)), "cert_expires": day(today.AddDate(1, 0, 0)),
				"cert_status": "valid", "gross_mass_kg": 18000, "dangerous_goods": false, "last_review": day(today.AddDate(-1, 0, 0)),
			},
			"form": map[string]any{"contact_name": p.Name, "contact_phone": "13900000000"},
		},
		materials: []string{docgen.KindVehicleFront},
		approve:   map[string]any{},
	}
}

// walk takes one application from upload to an issued certificate and returns its id.
func (d *demo) walk(app application, p docgen.Person) (string, error) {
	d.say("\n%s", app.title)
	samples, err := docgen.Generate(docgen.Options{Seed: 7, Kinds: app.materials, Clean: true, Person: &p})
	if err != nil {
		return "", err
	}
	var materials []map[string]string
	for _, s := range samples {
		id, read, err := d.upload(s)
		if err != nil {
			return "", err
		}
		materials = append(materials, map[string]string{"kind": s.Truth.Kind, "upload_id": id})
		d.did("uploaded %s (%d×%d JPEG): upload %s; read as %s", s.Truth.Kind, s.Width, s.Height, id, read)
	}
	app.doc["materials"] = materials

	var decision struct {
		Pass       bool `json:"pass"`
		Violations []struct {
			Code, Severity, Message string
		} `json:"violations"`
	}
	if err := d.callJSON("POST", "/v1/precheck", d.c.portal, app.doc, &decision, 200); err != nil {
		return "", err
	}
	d.did("pre-check: pass %v, %d findings", decision.Pass, len(decision.Violations))
	for _, v := range decision.Violations {
		d.say("      %s %s: %s", v.Severity, v.Code, v.Message)
	}
	if !decision.Pass {
		return "", errors.New("the pre-check refused the demo application")
	}
	var sub struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		ResultBy string `json:"result_by"`
		CertID   string `json:"certificate_id"`
	}
	if err := d.callJSON("POST", "/v1/applications", d.c.portal, app.doc, &sub, 201); err != nil {
		return "", err
	}
	d.did("submitted as portal: application %s, status %s", sub.ID, sub.Status)
	if err := d.callJSON("POST", "/v1/applications/"+sub.ID+"/accept", d.c.reviewer, map[string]any{}, &sub, 200); err != nil {
		return "", err
	}
	d.did("accepted as reviewer: status %s, result due by %s", sub.Status, sub.ResultBy)
	if err := d.callJSON("POST", "/v1/applications/"+sub.ID+"/approve", d.c.reviewer, app.approve, &sub, 200); err != nil {
		return "", err
	}
	d.did("approved as reviewer: status %s, certificate %s", sub.Status, sub.CertID)
	for _, ext := range []string{"png", "pdf"} {
		b, err := d.call("GET", "/v1/certificates/"+sub.CertID+"."+ext, d.c.portal, nil, "", 200)
		if err != nil {
			return "", err
		}
		file := filepath.Join(d.c.out, sub.CertID+"."+ext)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return "", err
		}
		d.did("downloaded %s (%d bytes)", file, len(b))
	}
	return sub.CertID, nil
}

func (d *demo) upload(s docgen.Sample) (id, read string, err error) {
	body, contentType := form("file", s.Name+".jpg", s.Image, "kind", s.Truth.Kind)
	b, err := d.call("POST", "/v1/materials", d.c.portal, body, contentType, 201)
	if err != nil {
		return "", "", err
	}
	var u struct {
		ID    string `json:"upload_id"`
		Facts struct {
			Content struct {
				Status string `json:"status"`
				Kind   string `json:"kind"`
			} `json:"content"`
		} `json:"facts"`
	}
	if err := json.Unmarshal(b, &u); err != nil {
		return "", "", err
	}
	read = u.Facts.Content.Kind
	if u.Facts.Content.Status != "read" {
		read = "nothing (document reading " + u.Facts.Content.Status + ")"
	}
	return u.ID, read, nil
}

// lists downloads the signed trust and revocation lists an offline inspector carries.
func (d *demo) lists() error {
	d.say("\nfor the roadside")
	for _, l := range []struct{ path, file string }{{"/v1/trust-list", "trust-list.json"}, {"/v1/revocations", "revocations.json"}} {
		b, err := d.call("GET", l.path, "", nil, "", 200)
		if err != nil {
			return err
		}
		file := filepath.Join(d.c.out, l.file)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return err
		}
		d.did("downloaded %s → %s", l.path, file)
	}
	return nil
}

// verify checks a certificate's PNG through POST /v1/verify and its PDF with `roadcheck
// verify` offline (trust and revocation lists from files, no network).
func (d *demo) verify(id string) error {
	png, err := os.ReadFile(filepath.Join(d.c.out, id+".png"))
	if err != nil {
		return err
	}
	body, contentType := form("image", id+".png", png)
	b, err := d.call("POST", "/v1/verify", "", body, contentType, 200)
	if err != nil {
		return err
	}
	var res struct {
		Status      string `json:"status"`
		Certificate struct {
			Type, Subject string
		} `json:"certificate"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return err
	}
	d.did("POST /v1/verify %s.png: %s (%s, %s)", id, res.Status, res.Certificate.Type, res.Certificate.Subject)
	if res.Status != "valid" {
		return fmt.Errorf("the API says %s is %s", id, res.Status)
	}
	cmd := exec.CommandContext(d.ctx, d.c.roadcheck, "verify", "--text",
		"--trust", filepath.Join(d.c.out, "trust-list.json"), "--revocations", filepath.Join(d.c.out, "revocations.json"),
		filepath.Join(d.c.out, id+".pdf"))
	out, err := cmd.CombinedOutput()
	lines := strings.SplitN(strings.TrimSpace(string(out)), "\n", 3)
	d.did("%s verify --text %s.pdf (offline): %s", d.c.roadcheck, id, strings.Join(lines[:min(2, len(lines))], "; "))
	if err != nil {
		return fmt.Errorf("roadcheck verify: %w\n%s", err, out)
	}
	return nil
}

// form is a multipart body with one file part and the given name/value fields before it.
func form(field, filename string, data []byte, fields ...string) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = w.WriteField(fields[i], fields[i+1])
	}
	fw, _ := w.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = w.Close() // writes to a bytes.Buffer cannot fail
	return &buf, w.FormDataContentType()
}
