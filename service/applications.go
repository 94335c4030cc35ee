package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/policies"
)

// Status is where an application is in the 申请 → 核查 → 审验 workflow.
type Status string

// Application states and the transitions between them (docs/api.md).
const (
	StatusSubmitted   Status = "submitted"
	StatusAccepted    Status = "accepted"
	StatusNotAccepted Status = "not_accepted"
	StatusApproved    Status = "approved"
	StatusDenied      Status = "denied"
)

// Label is the state's name in Chinese, for messages (applicants never read the codes).
func (s Status) Label() string {
	switch s {
	case StatusSubmitted:
		return "已提交"
	case StatusAccepted:
		return "已受理"
	case StatusNotAccepted:
		return "不予受理"
	case StatusApproved:
		return "审验通过"
	case StatusDenied:
		return "审验未通过"
	}
	return "未知状态"
}

// Action is a reviewer's step.
type Action string

// Reviewer actions.
const (
	ActionSubmit  Action = "submit"
	ActionAccept  Action = "accept"
	ActionReject  Action = "reject"
	ActionApprove Action = "approve"
	ActionDeny    Action = "deny"
)

// Label is the action's name in Chinese, for messages.
func (a Action) Label() string {
	switch a {
	case ActionSubmit:
		return "提交"
	case ActionAccept:
		return "受理"
	case ActionReject:
		return "不予受理"
	case ActionApprove:
		return "审验通过"
	case ActionDeny:
		return "审验不通过"
	}
	return "办理"
}

// transitions: action → (from, to).
var transitions = map[Action][2]Status{
	ActionAccept:  {StatusSubmitted, StatusAccepted},
	ActionReject:  {StatusSubmitted, StatusNotAccepted},
	ActionApprove: {StatusAccepted, StatusApproved},
	ActionDeny:    {StatusAccepted, StatusDenied},
}

// checkGrade: approving a graded item (items.json "grades") needs one of its grades, set by
// the reviewer (no national thresholds compute them); any other item takes none.
func checkGrade(item policies.Item, grade string) error {
	if len(item.Grades) == 0 {
		if grade != "" {
			return ErrInvalidField("grade", item.NameEN+" is not graded", item.Name+"无需评定等级")
		}
		return nil
	}
	if slices.Contains(item.Grades, grade) {
		return nil
	}
	zh := make([]string, len(item.Grades))
	for i, g := range item.Grades {
		zh[i] = g
		if m := certs.GradeMeaning(g); m != "" {
			zh[i] += "（" + m + "）"
		}
	}
	return &Error{Code: CodeGradeRequired, Field: "grade",
		MessageEN: "approving " + item.NameEN + " needs grade " + orList(item.Grades, ", ", " or "),
		Message:   item.Name + "审验通过须给出等级：" + orList(zh, "、", "或 ")}
}

// orList joins words as "a, b or c".
func orList(words []string, sep, last string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], sep) + last + words[len(words)-1]
}

// HistoryEntry records one step: who, when, what and why.
type HistoryEntry struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action Action    `json:"action"`
	From   Status    `json:"from,omitempty"`
	To     Status    `json:"to"`
	Reason string    `json:"reason,omitempty"`
	Grade  string    `json:"grade,omitempty"`
}

// Submission is a submitted application as the service keeps it.
type Submission struct {
	ID          string         `json:"id"`
	Portal      string         `json:"portal"`
	ApplicantID string         `json:"applicant_id"`
	Item        string         `json:"item"`
	Status      Status         `json:"status"`
	SubmittedAt time.Time      `json:"submitted_at"`
	AcceptBy    string         `json:"accept_by"`
	ResultBy    string         `json:"result_by,omitempty"`
	Provisional bool           `json:"provisional"`
	Due         string         `json:"-"` // the deadline of the current step; empty when final
	Grade       string         `json:"grade,omitempty"`
	Certificate string         `json:"certificate_id,omitempty"`
	History     []HistoryEntry `json:"history"`
	Decision    Decision       `json:"decision"`
	Input       Application    `json:"-"` // the resolved document the decision was made on
	RequestHash string         `json:"-"`
	// Audit is the submission's audit record, stored inside the application in the same
	// write; the decisions collection is its projection. Nil on applications stored before.
	Audit *AuditRecord `json:"-"`
}

// Overdue reports whether the current step's deadline has passed on today.
func (s Submission) Overdue(today string) bool { return s.Due != "" && s.Due < today }

// AuditRecord is one decision as written to the audit log: enough to reproduce and explain it,
// with personal data redacted.
type AuditRecord struct {
	ID             string
	At             time.Time
	Caller         string
	Item           string
	Pass           bool
	Codes          []string
	PolicyRevision string
	InputSHA256    string
	RedactedInput  Application
	ApplicationID  string
}

// QueueFilter selects the reviewer's work queue.
type QueueFilter struct {
	Status  Status
	Item    string
	Overdue bool
	Today   string
	Limit   int
}

// ListFilter selects one applicant's submissions of one portal, newest first.
type ListFilter struct {
	Portal      string
	ApplicantID string
	Limit       int
	Offset      int
}

// Page is a page of submissions.
type Page struct {
	Items      []Submission `json:"items"`
	NextOffset *int         `json:"next_offset,omitempty"`
}

// ErrDuplicate is returned by a store when a unique key (the idempotency key) exists already.
var ErrDuplicate = errors.New("duplicate")

// ErrStale is returned by a store when a conditional update found the record in another state.
var ErrStale = errors.New("state changed")

// Applications is the persistence of the workflow.
type Applications interface {
	// InsertSubmission stores a new submission; ErrDuplicate when its id exists (an id derived
	// from an idempotency key makes a repeated request collide here, atomically). A submission
	// that carries its audit record (Audit) is stored with it, in the same write; once the
	// submission is stored, the store also appends that record to the audit log as
	// RecordDecision would. That second write may be lost (a crash, a store error) without an
	// error: the record in the submission is the original, and a retry with the same
	// Idempotency-Key or `roadcheck fsck --repair` writes it again.
	InsertSubmission(ctx context.Context, s Submission) error
	Submission(ctx context.Context, id string) (Submission, error)
	// Transition moves a submission from one status to another in one atomic conditional
	// update, appending the history entry; ErrStale if it is not in status from.
	Transition(ctx context.Context, id string, from Status, change Transition) (Submission, error)
	ListSubmissions(ctx context.Context, f ListFilter) ([]Submission, error)
	Queue(ctx context.Context, f QueueFilter) ([]Submission, error)
	// RecordDecision appends to the audit log. It is idempotent: a record whose id is stored
	// already is not written again and is no error (a retry repairs a lost projection).
	RecordDecision(ctx context.Context, a AuditRecord) error
}

// Transition is the change a reviewer's step makes.
type Transition struct {
	To          Status
	Due         string // the next step's deadline; empty when the new state is final
	ResultBy    string // set on acceptance
	Provisional bool
	Grade       string
	Certificate string // set on approval of an item that issues one
	Entry       HistoryEntry
}

// SubmitResult is a submission's outcome: Submission is nil when the pre-check failed.
type SubmitResult struct {
	Submission *Submission
	Decision   Decision
	Replayed   bool // an earlier request with the same idempotency key
}

// Common errors of the workflow.
var (
	errNoApplicationID = &Error{Code: CodeNotFound,
		MessageEN: "no such application", Message: "办件不存在"}
)

func (s *roadcheck) caller(ctx context.Context) (Caller, error) {
	c, ok := CallerFrom(ctx)
	if !ok {
		return Caller{}, &Error{Code: CodeUnauthenticated,
			MessageEN: "an authenticated caller is required", Message: "需要身份认证"}
	}
	return c, nil
}

// Submit pre-checks with the service's clock (never the client's as_of) and stores a passing
// application. Every decision, passing or not, goes to the audit log.
func (s *roadcheck) Submit(ctx context.Context, app Application, idemKey string) (SubmitResult, error) {
	caller, err := s.caller(ctx)
	if err != nil {
		return SubmitResult{}, err
	}
	if len(idemKey) > 128 {
		return SubmitResult{}, ErrInvalidField("Idempotency-Key", "Idempotency-Key is longer than 128 characters", "Idempotency-Key 超过128个字符")
	}
	now := s.now()
	// The request's identity for Idempotency-Key: the document as sent, minus the as_of that
	// submissions ignore, so a retry on another day is still the same request.
	app.AsOf = ""
	reqHash := hashJSON(app)
	app.AsOf = Today(now)
	id := newApplicationID(now)
	if idemKey != "" {
		id = idempotentID(caller.Name, idemKey)
		if prev, err := s.store.Submission(ctx, id); err == nil {
			return s.replay(ctx, prev, reqHash)
		} else if !errors.Is(err, ErrNotFound) {
			return SubmitResult{}, ErrStoreUnavailable(err)
		}
	}
	resolved := app
	d, err := s.evaluateResolved(ctx, &resolved)
	if err != nil {
		return SubmitResult{}, err
	}
	res := SubmitResult{Decision: d}
	redacted := redact(s.rules.Load().Book.Contract(), resolved)
	audit := AuditRecord{
		ID: "d" + newApplicationID(now)[1:], At: now.UTC(), Caller: caller.Name, Item: app.Item, Pass: d.Pass,
		Codes: codes(d), PolicyRevision: d.PolicyRevision, InputSHA256: hashJSON(resolved),
		RedactedInput: redacted,
	}
	if !d.Pass {
		// A refused application is not stored: its audit record is the only write.
		if err := s.store.RecordDecision(ctx, audit); err != nil {
			return SubmitResult{}, ErrStoreUnavailable(err)
		}
		return res, nil
	}
	audit.ApplicationID = id
	sub := &Submission{
		ID: id, Portal: caller.Name, ApplicantID: applicantID(app), Item: app.Item,
		Status: StatusSubmitted, SubmittedAt: now.UTC(), AcceptBy: d.Deadlines.AcceptBy,
		ResultBy: d.Deadlines.ResultBy, Provisional: d.Deadlines.Provisional, Due: d.Deadlines.AcceptBy,
		History:  []HistoryEntry{{At: now.UTC(), By: caller.Name, Action: ActionSubmit, To: StatusSubmitted}},
		Decision: d, Input: resolved, RequestHash: reqHash, Audit: &audit,
	}
	// One write: the application carries its own audit record, so no crash can leave an
	// acknowledged application without one (FerretDB has no multi-document transactions).
	// The store appends the record to the audit log after it (see Applications).
	if err := s.store.InsertSubmission(ctx, *sub); errors.Is(err, ErrDuplicate) {
		// A concurrent request with the same key won the race; answer as it did.
		prev, err := s.store.Submission(ctx, id)
		if err != nil {
			return SubmitResult{}, ErrStoreUnavailable(err)
		}
		return s.replay(ctx, prev, reqHash)
	} else if err != nil {
		return SubmitResult{}, ErrStoreUnavailable(err)
	}
	res.Submission = sub
	return res, nil
}

// replay answers a repeated request as the first one was answered, and writes the audit
// record's projection again in case the first request died between its two writes
// (RecordDecision is idempotent).
func (s *roadcheck) replay(ctx context.Context, prev Submission, reqHash string) (SubmitResult, error) {
	if prev.RequestHash != reqHash {
		return SubmitResult{}, &Error{Code: CodeIdempotencyReused, Field: "Idempotency-Key",
			MessageEN: "this Idempotency-Key was used for a different request",
			Message:   "该 Idempotency-Key 已用于另一份不同的申请"}
	}
	if prev.Audit != nil {
		if err := s.store.RecordDecision(ctx, *prev.Audit); err != nil {
			return SubmitResult{}, ErrStoreUnavailable(err)
		}
	}
	return SubmitResult{Submission: &prev, Decision: prev.Decision, Replayed: true}, nil
}

func codes(d Decision) []string {
	out := make([]string, 0, len(d.Violations))
	for _, v := range d.Violations {
		out = append(out, v.Code)
	}
	return out
}

func hashJSON(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// applicantID is whom 我的办件 lists by: the ID number of a person, the credit code of an operator.
func applicantID(app Application) string {
	if app.Applicant == nil {
		return ""
	}
	if app.Applicant.Kind == "legal" && app.Applicant.CreditCode != "" {
		return app.Applicant.CreditCode
	}
	return app.Applicant.IDNumber
}

// idempotentID derives the application id from the portal and its Idempotency-Key, so a
// repeated request maps to the same record and the store's unique _id settles any race.
func idempotentID(portal, key string) string {
	sum := sha256.Sum256([]byte(portal + "\x00" + key))
	return "a_k" + hex.EncodeToString(sum[:12])
}

// newApplicationID is time-ordered (so ids sort by submission) and unguessable.
func newApplicationID(now time.Time) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("a_%s_%s", now.UTC().Format("20060102T150405"), hex.EncodeToString(b[:]))
}

// GetApplication returns a submission: to its portal, or to reviewers.
func (s *roadcheck) GetApplication(ctx context.Context, id string) (Submission, error) {
	caller, err := s.caller(ctx)
	if err != nil {
		return Submission{}, err
	}
	sub, err := s.store.Submission(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return Submission{}, errNoApplicationID
	case err != nil:
		return Submission{}, ErrStoreUnavailable(err)
	}
	// Another portal's application is reported as missing, not forbidden: its existence is
	// itself personal data.
	if caller.Role == RolePortal && sub.Portal != caller.Name {
		return Submission{}, errNoApplicationID
	}
	return sub, nil
}

// ListApplications is 我的办件: one applicant's submissions made through the calling portal.
func (s *roadcheck) ListApplications(ctx context.Context, f ListFilter) (Page, error) {
	caller, err := s.caller(ctx)
	if err != nil {
		return Page{}, err
	}
	if strings.TrimSpace(f.ApplicantID) == "" {
		return Page{}, ErrInvalidField("applicant_id", "applicant_id is required", "缺少 applicant_id")
	}
	f.Portal = caller.Name
	if caller.Role == RoleAdmin {
		f.Portal = "" // administrators see every portal's
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	want := f.Limit
	f.Limit++ // one more tells whether there is a next page
	subs, err := s.store.ListSubmissions(ctx, f)
	if err != nil {
		return Page{}, ErrStoreUnavailable(err)
	}
	p := Page{Items: subs}
	if len(subs) > want {
		p.Items = subs[:want]
		next := f.Offset + want
		p.NextOffset = &next
	}
	if p.Items == nil {
		p.Items = []Submission{}
	}
	return p, nil
}

// ReviewQueue lists submissions for reviewers, oldest deadline first.
func (s *roadcheck) ReviewQueue(ctx context.Context, f QueueFilter) ([]Submission, error) {
	switch f.Status {
	case "", StatusSubmitted, StatusAccepted, StatusNotAccepted, StatusApproved, StatusDenied:
	default:
		return nil, ErrInvalidField("status", fmt.Sprintf("unknown status %q", f.Status), fmt.Sprintf("未知状态“%s”", f.Status))
	}
	if f.Item != "" && !s.rules.Load().Book.HasItem(f.Item) {
		return nil, ErrUnknownItem(f.Item)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	f.Today = Today(s.now())
	subs, err := s.store.Queue(ctx, f)
	if err != nil {
		return nil, ErrStoreUnavailable(err)
	}
	if subs == nil {
		subs = []Submission{}
	}
	return subs, nil
}

// Review applies a reviewer's action in one atomic conditional update on the current state.
func (s *roadcheck) Review(ctx context.Context, id string, action Action, reason, grade string) (Submission, error) {
	caller, err := s.caller(ctx)
	if err != nil {
		return Submission{}, err
	}
	t, ok := transitions[action]
	if !ok {
		return Submission{}, ErrInvalidField("action", "unknown action", "未知操作")
	}
	reason = strings.TrimSpace(reason)
	if (action == ActionReject || action == ActionDeny) && reason == "" {
		return Submission{}, &Error{Code: CodeReasonRequired, Field: "reason",
			MessageEN: "a reason is required to " + string(action), Message: "请填写理由"}
	}
	if len([]rune(reason)) > 1000 {
		return Submission{}, ErrInvalidField("reason", "reason is longer than 1000 characters", "理由超过1000字")
	}
	if action != ActionApprove && grade != "" {
		return Submission{}, ErrInvalidField("grade", "a grade is given only when approving", "仅审验通过时可给出等级")
	}
	cur, err := s.store.Submission(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return Submission{}, errNoApplicationID
	case err != nil:
		return Submission{}, ErrStoreUnavailable(err)
	}
	// One revision decides the grade and the certificate: a reload in between changes neither.
	book := s.rules.Load().Book
	item, _ := book.Item(cur.Item)
	if action == ActionApprove {
		if err := checkGrade(item, grade); err != nil {
			return Submission{}, err
		}
	}
	now := s.now()
	change := Transition{
		To:    t[1],
		Grade: grade,
		Entry: HistoryEntry{At: now.UTC(), By: caller.Name, Action: action, From: t[0], To: t[1], Reason: reason, Grade: grade},
	}
	if action == ActionAccept {
		// result_by is set on acceptance: 3 working days from the day it was accepted.
		change.ResultBy, change.Provisional = s.rules.Load().Calendar.ResultBy(now.In(ChinaTime))
		change.Due = change.ResultBy
	}
	var cert *CertificateRecord
	if action == ActionApprove && item.Certificate != nil {
		if cur.Status != StatusAccepted {
			return Submission{}, &Error{Code: CodeInvalidTransition,
				MessageEN: fmt.Sprintf("cannot approve an application that is %s (only an accepted one)", cur.Status),
				Message:   fmt.Sprintf("办件当前状态为“%s”，只有已受理的办件才能审验通过", cur.Status.Label())}
		}
		if s.ca == nil {
			return Submission{}, &Error{Code: CodeStoreUnavailable,
				MessageEN: "no signing keys configured; cannot issue the certificate", Message: "未配置签名密钥，无法签发凭证"}
		}
		rec, err := s.issueFor(ctx, book, *item.Certificate, cur, grade, now)
		if err != nil {
			return Submission{}, err
		}
		cert = &rec
		change.Certificate = rec.ID
	}
	sub, err := s.store.Transition(ctx, id, t[0], change)
	if err != nil && cert != nil {
		// Another reviewer decided first: the certificate was never handed out; withdraw it.
		_ = s.store.DeleteCertificate(context.WithoutCancel(ctx), cert.ID)
	}
	switch {
	case errors.Is(err, ErrStale):
		if now, err := s.store.Submission(ctx, id); err == nil {
			cur = now
		}
		return Submission{}, &Error{Code: CodeInvalidTransition,
			MessageEN: fmt.Sprintf("cannot %s an application that is %s (only a %s one)", action, cur.Status, t[0]),
			Message:   fmt.Sprintf("办件当前状态为“%s”，只有“%s”的办件才能%s", cur.Status.Label(), t[0].Label(), action.Label())}
	case errors.Is(err, ErrNotFound):
		return Submission{}, errNoApplicationID
	case err != nil:
		return Submission{}, ErrStoreUnavailable(err)
	}
	return sub, nil
}
