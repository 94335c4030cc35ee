package service_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/certs/render"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/service/mongostore"
)

// These tests run the workflow against the embedded FerretDB: the real driver, real conditional
// updates, no mock.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

type workflow struct {
	svc   service.Service
	store *mongostore.Store
	clock *clock
	uri   string // the embedded store's, for tests that reach under the store
}

func newWorkflow(t *testing.T) workflow {
	t.Helper()
	return newWorkflowReading(t, nil)
}

// newWorkflowReading is newWorkflow with a document reader for uploads.
func newWorkflowReading(t *testing.T, reader service.DocumentReader) workflow {
	t.Helper()
	return newWorkflowWith(t, policies.Builtin(), func(c *service.Config) { c.Reader = reader })
}

// newWorkflowWith is newWorkflow on the rulebook rulebook, with configure's changes to the
// service's configuration.
func newWorkflowWith(t *testing.T, rulebook fs.FS, configure func(*service.Config)) workflow {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	emb, err := mongostore.StartEmbedded(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	store, err := emb.Open(ctx, "roadcheck")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = store.Close(ctx)
		_ = emb.Stop(ctx)
	})
	book, err := policies.Load(ctx, rulebook)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := service.NewRules(book)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, service.ChinaTime)}
	ca, err := keystore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := service.Config{Rules: rules, Store: store, Now: c.now, CA: ca, Renderer: render.New()}
	configure(&cfg)
	svc, err := service.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return workflow{svc: svc, store: store, clock: c, uri: emb.URI()}
}

func as(name string, role service.Role) context.Context {
	return service.WithCaller(context.Background(), service.Caller{Name: name, Role: role})
}

var (
	portalA  = as("portal-a", service.RolePortal)
	portalB  = as("portal-b", service.RolePortal)
	reviewer = as("reviewer-1", service.RoleReviewer)
)

func passing(t *testing.T) service.Application {
	t.Helper()
	app := readApplication(t, "../samples/qualification_renewal_pass.json")
	app.AsOf = "2020-01-01" // a client as_of must be ignored by submissions
	return app
}

func TestSubmitUsesTheServiceClock(t *testing.T) {
	w := newWorkflow(t)
	res, err := w.svc.Submit(portalA, passing(t), "")
	if err != nil {
		t.Fatal(err)
	}
	s := res.Submission
	if s == nil {
		t.Fatalf("a passing application was not stored: %+v", res.Decision.Violations)
	}
	if s.Status != service.StatusSubmitted || s.Decision.AsOf != "2026-11-23" || s.AcceptBy != "2026-11-25" || s.Due != "2026-11-25" {
		t.Errorf("submission = status %s as_of %s accept_by %s", s.Status, s.Decision.AsOf, s.AcceptBy)
	}
	got, err := w.svc.GetApplication(portalA, s.ID)
	if err != nil || got.ID != s.ID || len(got.History) != 1 || got.History[0].By != "portal-a" {
		t.Errorf("GetApplication = %+v, %v", got, err)
	}
	if got.Input.Applicant == nil || got.Input.Applicant.IDNumber != "410105198005170018" {
		t.Error("the stored input lost the applicant")
	}
}

func TestFailingSubmissionIsAuditedNotStored(t *testing.T) {
	w := newWorkflow(t)
	app := passing(t)
	app.Materials = app.Materials[:1]
	res, err := w.svc.Submit(portalA, app, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Submission != nil || res.Decision.Pass {
		t.Fatalf("a failing application was stored: %+v", res.Submission)
	}
	audit, err := w.store.Decisions(context.Background(), 10)
	if err != nil || len(audit) != 1 {
		t.Fatalf("audit = %d records, %v", len(audit), err)
	}
	a := audit[0]
	if a.Pass || a.PolicyRevision == "" || len(a.InputSHA256) != 64 || len(a.Codes) == 0 || a.Caller != "portal-a" {
		t.Errorf("audit record = %+v", a)
	}
	red := a.RedactedInput
	if red.Applicant.IDNumber != "410***********0018" || red.Applicant.Name != "张*" || !strings.HasSuffix(red.Applicant.Phone, "5678") ||
		strings.Contains(red.Applicant.Phone, "1381") || red.Qualification.HolderIDNumber != "410***********0018" {
		t.Errorf("personal data not redacted: %+v %+v", red.Applicant, red.Qualification)
	}
}

func TestIdempotencyKey(t *testing.T) {
	w := newWorkflow(t)
	first, err := w.svc.Submit(portalA, passing(t), "key-1")
	if err != nil || first.Submission == nil {
		t.Fatal(err)
	}
	again, err := w.svc.Submit(portalA, passing(t), "key-1")
	if err != nil || !again.Replayed || again.Submission.ID != first.Submission.ID {
		t.Fatalf("repeat = %+v, %v", again, err)
	}
	// The same key from another portal is another application.
	other, err := w.svc.Submit(portalB, passing(t), "key-1")
	if err != nil || other.Replayed || other.Submission.ID == first.Submission.ID {
		t.Errorf("another portal's key collided: %+v %v", other, err)
	}
	// The same key with a different document is refused.
	changed := passing(t)
	changed.Form["delivery"] = "mail"
	changed.Form["mail_address"] = "河南省郑州市"
	if _, err := w.svc.Submit(portalA, changed, "key-1"); service.AsError(err).Code != service.CodeIdempotencyReused {
		t.Errorf("reused key with another body: %v", err)
	}
	// Concurrent repeats make one application.
	var wg sync.WaitGroup
	ids := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := w.svc.Submit(portalA, passing(t), "key-race")
			if err != nil {
				t.Error(err)
				return
			}
			ids <- res.Submission.ID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Errorf("8 concurrent submissions with one key made %d applications", len(seen))
	}
}

func TestConcurrentAcceptsExactlyOneWins(t *testing.T) {
	w := newWorkflow(t)
	res, err := w.svc.Submit(portalA, passing(t), "")
	if err != nil {
		t.Fatal(err)
	}
	id := res.Submission.ID
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflict := 0, 0
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.svc.Review(as("reviewer-"+string(rune('a'+i)), service.RoleReviewer), id, service.ActionAccept, "", "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case service.AsError(err).Code == service.CodeInvalidTransition:
				conflict++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || conflict != 11 {
		t.Fatalf("12 concurrent accepts: %d succeeded, %d conflicted; want 1 and 11", ok, conflict)
	}
	got, _ := w.svc.GetApplication(reviewer, id)
	if got.Status != service.StatusAccepted || len(got.History) != 2 || got.ResultBy != "2026-11-26" {
		t.Errorf("after accept: status %s, %d history entries, result_by %s", got.Status, len(got.History), got.ResultBy)
	}
}

func TestTransitions(t *testing.T) {
	w := newWorkflow(t)
	submit := func(item string) string {
		t.Helper()
		app := readApplication(t, "../samples/"+item+"_pass.json")
		res, err := w.svc.Submit(portalA, app, "")
		if err != nil || res.Submission == nil {
			t.Fatalf("%s: %v %+v", item, err, res.Decision.Violations)
		}
		return res.Submission.ID
	}
	renewal := submit("qualification_renewal")
	if _, err := w.svc.Review(reviewer, renewal, service.ActionApprove, "", ""); service.AsError(err).Code != service.CodeInvalidTransition {
		t.Errorf("approve before accept: %v", err)
	}
	if _, err := w.svc.Review(reviewer, renewal, service.ActionReject, " ", ""); service.AsError(err).Code != service.CodeReasonRequired {
		t.Errorf("reject without reason: %v", err)
	}
	s, err := w.svc.Review(reviewer, renewal, service.ActionReject, "材料与原件不符", "")
	if err != nil || s.Status != service.StatusNotAccepted || s.History[1].Reason != "材料与原件不符" || s.History[1].By != "reviewer-1" {
		t.Fatalf("reject: %+v %v", s, err)
	}
	if _, err := w.svc.Review(reviewer, renewal, service.ActionAccept, "", ""); service.AsError(err).Code != service.CodeInvalidTransition {
		t.Errorf("accept after reject: %v", err)
	}

	// The integrity assessment window of the fixture opens on 2026-12-01.
	w.clock.set(time.Date(2026, 12, 5, 10, 0, 0, 0, service.ChinaTime))
	assess := submit("driver_integrity_assessment")
	if _, err := w.svc.Review(reviewer, assess, service.ActionAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Review(reviewer, assess, service.ActionApprove, "", ""); service.AsError(err).Code != service.CodeGradeRequired {
		t.Errorf("approve an assessment without grade: %v", err)
	}
	if _, err := w.svc.Review(reviewer, assess, service.ActionApprove, "", "AAAA"); service.AsError(err).Code != service.CodeGradeRequired {
		t.Errorf("approve with an unknown grade: %v", err)
	}
	s, err = w.svc.Review(reviewer, assess, service.ActionApprove, "", "AA")
	if err != nil || s.Status != service.StatusApproved || s.Grade != "AA" || s.Due != "" {
		t.Errorf("approve: %+v %v", s, err)
	}

	review := submit("freight_annual_review")
	if _, err := w.svc.Review(reviewer, review, service.ActionAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Review(reviewer, review, service.ActionApprove, "", "AAA"); err == nil {
		t.Error("a grade on an annual review was accepted")
	}
	if _, err := w.svc.Review(reviewer, review, service.ActionDeny, "", ""); service.AsError(err).Code != service.CodeReasonRequired {
		t.Errorf("deny without reason: %v", err)
	}
	if s, err := w.svc.Review(reviewer, review, service.ActionDeny, "车辆未按期检验", ""); err != nil || s.Status != service.StatusDenied {
		t.Errorf("deny: %+v %v", s, err)
	}
	if _, err := w.svc.Review(reviewer, "a_missing", service.ActionAccept, "", ""); service.AsError(err).Code != service.CodeNotFound {
		t.Errorf("accept a missing application: %v", err)
	}
}

func TestPortalsSeeOnlyTheirOwn(t *testing.T) {
	w := newWorkflow(t)
	res, err := w.svc.Submit(portalA, passing(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.GetApplication(portalB, res.Submission.ID); service.AsError(err).Code != service.CodeNotFound {
		t.Errorf("portal B read portal A's application: %v", err)
	}
	page, err := w.svc.ListApplications(portalB, service.ListFilter{ApplicantID: "410105198005170018"})
	if err != nil || len(page.Items) != 0 {
		t.Errorf("portal B lists %d of portal A's applications (%v)", len(page.Items), err)
	}
}

func TestListNewestFirstPaginated(t *testing.T) {
	w := newWorkflow(t)
	var ids []string
	for i := range 5 {
		w.clock.set(time.Date(2026, 11, 23, 10, i, 0, 0, service.ChinaTime))
		res, err := w.svc.Submit(portalA, passing(t), "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Submission.ID)
	}
	p1, err := w.svc.ListApplications(portalA, service.ListFilter{ApplicantID: "410105198005170018", Limit: 2})
	if err != nil || len(p1.Items) != 2 || p1.Items[0].ID != ids[4] || p1.Items[1].ID != ids[3] || p1.NextOffset == nil || *p1.NextOffset != 2 {
		t.Fatalf("page 1 = %+v %v", p1, err)
	}
	p3, err := w.svc.ListApplications(portalA, service.ListFilter{ApplicantID: "410105198005170018", Limit: 2, Offset: 4})
	if err != nil || len(p3.Items) != 1 || p3.Items[0].ID != ids[0] || p3.NextOffset != nil {
		t.Fatalf("page 3 = %+v %v", p3, err)
	}
	if _, err := w.svc.ListApplications(portalA, service.ListFilter{}); service.AsError(err).Code != service.CodeInvalidField {
		t.Errorf("list without applicant_id: %v", err)
	}
}

func TestQueueOverdueOldestDeadlineFirst(t *testing.T) {
	w := newWorkflow(t)
	submitOn := func(day time.Time) string {
		w.clock.set(day)
		res, err := w.svc.Submit(portalA, passing(t), "")
		if err != nil || res.Submission == nil {
			t.Fatal(err)
		}
		return res.Submission.ID
	}
	// Submitted Friday 2026-11-20 (accept by Tue 11-24) and Monday 11-23 (accept by Wed 11-25).
	late := submitOn(time.Date(2026, 11, 20, 9, 0, 0, 0, service.ChinaTime))
	recent := submitOn(time.Date(2026, 11, 23, 9, 0, 0, 0, service.ChinaTime))

	w.clock.set(time.Date(2026, 11, 25, 9, 0, 0, 0, service.ChinaTime))
	q, err := w.svc.ReviewQueue(reviewer, service.QueueFilter{Status: service.StatusSubmitted})
	if err != nil || len(q) != 2 || q[0].ID != late || q[1].ID != recent {
		t.Fatalf("queue = %v %v", ids(q), err)
	}
	q, err = w.svc.ReviewQueue(reviewer, service.QueueFilter{Overdue: true})
	if err != nil || len(q) != 1 || q[0].ID != late || !q[0].Overdue("2026-11-25") {
		t.Fatalf("overdue queue = %v %v", ids(q), err)
	}
	if q, _ := w.svc.ReviewQueue(reviewer, service.QueueFilter{Item: "freight_annual_review"}); len(q) != 0 {
		t.Errorf("item filter: %v", ids(q))
	}
	if _, err := w.svc.ReviewQueue(reviewer, service.QueueFilter{Status: "lost"}); service.AsError(err).Code != service.CodeInvalidField {
		t.Errorf("unknown status: %v", err)
	}
}

func ids(subs []service.Submission) []string {
	var out []string
	for _, s := range subs {
		out = append(out, s.ID)
	}
	return out
}

func TestRegistryImportAndReferences(t *testing.T) {
	w := newWorkflow(t)
	admin := as("admin", service.RoleAdmin)
	lines := strings.Join([]string{
		`{"number":"Q410100000001","holder_id_number":"410105198005170018","holder_name":"张三","categories":["freight_driver"],"first_issued":"2020-12-01","expires":"2026-12-01","status":"valid","info_changed":false}`,
		``,
		`{"number":"Q2","expires":"2026-13-01"}`,
		`{"holder_name":"无证号"}`,
		`not json`,
		`{"number":"Q3","colour":"red"}`,
	}, "\n")
	rep, err := w.svc.ImportRegistry(admin, service.RegistryQualifications, strings.NewReader(lines))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Lines != 5 || rep.Upserted != 1 || rep.Failed != 4 {
		t.Errorf("report = %+v", rep)
	}
	// Every field at fault is reported with its line; a whole record must carry every fact.
	byLine := map[int][]string{}
	for _, e := range rep.Errors {
		byLine[e.Line] = append(byLine[e.Line], e.Code+"@"+e.Field)
	}
	for _, want := range []struct {
		line int
		err  string
	}{
		{3, "INVALID_FIELD@qualification.expires"}, {3, "INVALID_FIELD@qualification.holder_id_number"},
		{4, "INVALID_FIELD@qualification.number"}, {5, "INVALID_JSON@"}, {6, "INVALID_FIELD@qualification.colour"},
	} {
		if !slices.Contains(byLine[want.line], want.err) {
			t.Errorf("line %d: errors %v lack %s", want.line, byLine[want.line], want.err)
		}
	}
	app := passing(t)
	app.AsOf = ""
	app.Qualification = &service.Qualification{Number: "Q410100000001"}
	d, err := w.svc.Precheck(portalA, app)
	if err != nil || !d.Pass {
		t.Errorf("pre-check with a registry reference: %v %+v", err, d.Violations)
	}
	app.Qualification = &service.Qualification{Number: "Q404"}
	d, _ = w.svc.Precheck(portalA, app)
	if d.Pass || len(d.Violations) != 1 || d.Violations[0].Code != "QUALIFICATION_NOT_FOUND" {
		t.Errorf("unknown reference: %+v", d.Violations)
	}
	if _, err := w.svc.ImportRegistry(admin, service.RegistryVehicles, strings.NewReader(`{"plate":"豫A1","gross_mass_kg":-1}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.Vehicle(context.Background(), "豫A1"); !errors.Is(err, service.ErrNotFound) {
		t.Error("an invalid vehicle line was stored")
	}
}

// TestApprovalOfStoredDataThatBreaksTheContract: an application stored before the input
// contract (here written straight into the store with a first_issued no rule could read) is
// refused at approval with 422 STORED_DATA_INVALID naming the field, not a 500, and nothing
// is issued or changed.
func TestApprovalOfStoredDataThatBreaksTheContract(t *testing.T) {
	w := newWorkflow(t)
	ctx := context.Background()
	app := readApplication(t, "../samples/driver_integrity_assessment_pass.json")
	for _, tc := range []struct{ name, firstIssued, field string }{
		{"not a date", "not-a-date", "qualification.first_issued"},
		{"impossible date", "2026-13-45", "qualification.first_issued"},
		{"empty", "", "qualification.first_issued"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := app
			q := *app.Qualification
			q.FirstIssued = tc.firstIssued
			in.Qualification = &q
			id := "a-stored-" + strings.ReplaceAll(tc.name, " ", "-")
			sub := service.Submission{ID: id, Portal: "portal-a", ApplicantID: "410105198005170018", Item: in.Item,
				Status: service.StatusAccepted, SubmittedAt: time.Now().UTC(), AcceptBy: "2026-12-07", Due: "2026-12-10",
				Decision: service.Decision{Item: in.Item, AsOf: "2026-12-05", Pass: true}, Input: in}
			if err := w.store.InsertSubmission(ctx, sub); err != nil {
				t.Fatal(err)
			}
			_, err := w.svc.Review(reviewer, id, service.ActionApprove, "", "AA")
			e := service.AsError(err)
			if e.Code != service.CodeStoredDataInvalid || e.Kind != service.KindUnprocessable || e.Field != tc.field {
				t.Fatalf("approve = %v (code %s, field %q), want 422 STORED_DATA_INVALID on %s", err, e.Code, e.Field, tc.field)
			}
			got, err := w.svc.GetApplication(reviewer, id)
			if err != nil || got.Status != service.StatusAccepted || got.Certificate != "" {
				t.Errorf("the refused approval changed the application: %+v %v", got, err)
			}
		})
	}
}

// TestTransitionMessagesAreChinese: an applicant reading the Chinese message never meets a
// state's code.
func TestTransitionMessagesAreChinese(t *testing.T) {
	w := newWorkflow(t)
	res, err := w.svc.Submit(portalA, passing(t), "")
	if err != nil {
		t.Fatal(err)
	}
	id := res.Submission.ID
	for _, action := range []service.Action{service.ActionApprove, service.ActionDeny} {
		_, err := w.svc.Review(reviewer, id, action, "理由", "")
		e := service.AsError(err)
		if e.Code != service.CodeInvalidTransition || !strings.Contains(e.Message, "已提交") || !strings.Contains(e.Message, "已受理") ||
			strings.ContainsAny(e.Message, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("%s of a submitted application: %q (%s)", action, e.Message, e.Code)
		}
	}
	for _, s := range []service.Status{service.StatusSubmitted, service.StatusAccepted, service.StatusNotAccepted, service.StatusApproved, service.StatusDenied} {
		if l := s.Label(); l == "未知状态" || strings.ContainsAny(l, "abcdefghijklmnopqrstuvwxyz_") {
			t.Errorf("%s has no Chinese label: %q", s, l)
		}
	}
}
