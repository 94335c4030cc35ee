package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/verify"
)

// CertificateAuthority signs certificates and publishes the keys that verify them.
type CertificateAuthority interface {
	Issue(c certs.Certificate) (payload string, err error)
	TrustList() (*certs.TrustList, error)
	Issuer() (code, name string)
	// SignRevocations signs the revocation list as of issuedAt with the trust list's keys;
	// Version is the trust list's version (it changes with every key change).
	SignRevocations(issuedAt time.Time, revoked []certs.Revocation) (*certs.RevocationList, error)
	Version() (int, error)
}

// CertificateRenderer draws an issued certificate (certs/render's *Renderer).
type CertificateRenderer interface {
	PNG(c certs.Certificate, payload string) ([]byte, error)
	PDF(c certs.Certificate, payload string) ([]byte, error)
}

// Certificate statuses.
const (
	CertValid   = "valid"
	CertRevoked = "revoked"
)

// CertificateRecord is an issued certificate as the service keeps it: the signed payload, the
// fields it was rendered from, and its status.
type CertificateRecord struct {
	ID            string            `json:"id"`
	ApplicationID string            `json:"application_id"`
	Portal        string            `json:"-"`
	Type          string            `json:"type"`
	Status        string            `json:"status"`
	IssuedAt      time.Time         `json:"issued_at"`
	ExpiresAt     time.Time         `json:"expires_at"`
	Payload       string            `json:"payload"`
	RevokedAt     *time.Time        `json:"revoked_at,omitempty"`
	RevokeReason  string            `json:"revoke_reason,omitempty"`
	Cert          certs.Certificate `json:"-"` // full fields, for rendering only
}

// Certificates is the persistence of issued certificates.
type Certificates interface {
	InsertCertificate(ctx context.Context, c CertificateRecord) error
	Certificate(ctx context.Context, id string) (CertificateRecord, error)
	DeleteCertificate(ctx context.Context, id string) error
	// RevokeCertificate marks a valid certificate revoked; ErrStale if it is not valid.
	// Revoked is final, and a revoked certificate is never deleted.
	RevokeCertificate(ctx context.Context, id string, at time.Time, reason string) (CertificateRecord, error)
	// RevokedCertificates lists the revoked certificates in id order; CountRevokedCertificates
	// is its length, read cheaply.
	RevokedCertificates(ctx context.Context) ([]RevokedCertificate, error)
	CountRevokedCertificates(ctx context.Context) (int, error)
}

// CertificateView is what GET /v1/certificates/{id} shows: the record and the signed content.
type CertificateView struct {
	CertificateRecord
	ValidUntil string                     `json:"valid_until"`
	Content    *certs.VerifiedCertificate `json:"content,omitempty"`
	Authority  string                     `json:"authority"`
}

var errNoCertificate = &Error{Code: CodeNotFound, MessageEN: "no such certificate", Message: "凭证不存在"}

// Validities of a certificate (items.json "certificate.validity"): how its expiry is derived.
const (
	// ValidityAssessmentCycle: valid until the window of the next assessment closes, the cycle
	// derived from the qualification's first_issued (the item's subject is a qualification).
	ValidityAssessmentCycle = "assessment_cycle"
	// ValidityOneYear: valid one year from the day of approval, that day included.
	ValidityOneYear = "one_year"
)

// certificateSection is the record a certificate type's fields are taken from: the holder of
// a qualification for an integrity assessment, the vehicle for an annual review. The types are
// the certificate format's (package certs); false for any other.
func certificateSection(typ string) (string, bool) {
	switch typ {
	case certs.TypeIntegrityAssessment:
		return policies.SectionQualification, true
	case certs.TypeAnnualReview:
		return policies.SectionVehicle, true
	}
	return "", false
}

// checkIssuance refuses an item whose certificate or grades the service cannot issue: an
// unknown certificate type or validity, a certificate about another record than the item's
// subject, a grade the certificate format does not know, an integrity assessment without
// grades (its certificate carries one) or an annual review with them (it carries none).
func checkIssuance(it policies.Item) error {
	for _, g := range it.Grades {
		if certs.GradeMeaning(g) == "" {
			return fmt.Errorf("policies: items.%s.grades: %q is not a grade of the certificate format (AAA, AA, A, B)", it.Code, g)
		}
	}
	c := it.Certificate
	if c == nil {
		return nil
	}
	section, ok := certificateSection(c.Type)
	if !ok {
		return fmt.Errorf("policies: items.%s.certificate.type: unknown certificate type %q (the service issues %s, %s)",
			it.Code, c.Type, certs.TypeIntegrityAssessment, certs.TypeAnnualReview)
	}
	if section != it.Subject {
		return fmt.Errorf("policies: items.%s.certificate.type: an %s certificate is about a %s record, and the item's subject is %q",
			it.Code, c.Type, section, it.Subject)
	}
	switch c.Validity {
	case ValidityAssessmentCycle:
		if it.Subject != policies.SectionQualification {
			return fmt.Errorf("policies: items.%s.certificate.validity: %s is derived from a qualification, and the item's subject is %q",
				it.Code, c.Validity, it.Subject)
		}
	case ValidityOneYear:
	default:
		return fmt.Errorf("policies: items.%s.certificate.validity: unknown validity %q (want %s or %s)",
			it.Code, c.Validity, ValidityAssessmentCycle, ValidityOneYear)
	}
	switch graded := len(it.Grades) > 0; {
	case c.Type == certs.TypeIntegrityAssessment && !graded:
		return fmt.Errorf("policies: items.%s: an %s certificate carries a grade, and the item lists no grades", it.Code, c.Type)
	case c.Type == certs.TypeAnnualReview && graded:
		return fmt.Errorf("policies: items.%s: an %s certificate carries no grade, and the item lists grades", it.Code, c.Type)
	}
	return nil
}

// buildCertificate derives the certificate spec describes from the application as it was
// submitted.
func (s *roadcheck) buildCertificate(spec policies.CertificateSpec, sub Submission, grade string, now time.Time) (certs.Certificate, error) {
	_, authority := s.ca.Issuer()
	c := certs.Certificate{ID: certs.NewCertificateID(), IssuedAt: now.UTC(), Authority: authority}
	in := sub.Input
	approved := now.In(ChinaTime)
	// The assessment cycle, derived once from the qualification when the type or the validity
	// needs it.
	var start, end, next string
	cycle := func() error {
		if start != "" {
			return nil
		}
		q := in.Qualification
		if q == nil {
			return storedFieldInvalid("qualification", "办件中没有从业资格证记录", "the application holds no qualification record")
		}
		var err error
		start, end, next, err = assessmentCycle(q.FirstIssued, sub.Decision.AsOf)
		if err != nil {
			return storedFieldInvalid("qualification.first_issued",
				fmt.Sprintf("无法由初领日期 %s 确定 %s 所在的考核周期", q.FirstIssued, sub.Decision.AsOf),
				"cannot derive the assessment cycle from first_issued: "+err.Error())
		}
		return nil
	}
	switch spec.Type {
	case certs.TypeIntegrityAssessment:
		q := in.Qualification
		if q == nil {
			return c, storedFieldInvalid("qualification", "办件中没有从业资格证记录", "the application holds no qualification record")
		}
		c.Type = certs.TypeIntegrityAssessment
		c.Subject = q.HolderName
		if c.Subject == "" && in.Applicant != nil {
			c.Subject = in.Applicant.Name
		}
		c.IDNumber = q.HolderIDNumber
		c.QualificationNumber = q.Number
		c.Categories = q.Categories
		c.Grade = grade
		if err := cycle(); err != nil {
			return c, err
		}
		c.CycleStart, c.CycleEnd = start, end
	case certs.TypeAnnualReview:
		v := in.Vehicle
		if v == nil {
			return c, storedFieldInvalid("vehicle", "办件中没有车辆记录", "the application holds no vehicle record")
		}
		c.Type = certs.TypeAnnualReview
		c.Plate, c.PlateColour, c.TransportCertNumber = v.Plate, v.PlateColour, v.TransportCertNumber
		c.Operator = v.OwnerName
		if c.Operator == "" && in.Applicant != nil {
			c.Operator = in.Applicant.Name
		}
		c.ReviewDate = approved.Format(DateLayout)
		c.Result = certs.ResultPass
	default:
		return c, fmt.Errorf("certificate: item %s: unknown certificate type %q", sub.Item, spec.Type)
	}
	var validUntil string
	switch spec.Validity {
	case ValidityAssessmentCycle:
		if err := cycle(); err != nil {
			return c, err
		}
		validUntil = next
	case ValidityOneYear:
		validUntil = approved.AddDate(1, 0, -1).Format(DateLayout)
	default:
		return c, fmt.Errorf("certificate: item %s: unknown validity %q", sub.Item, spec.Validity)
	}
	exp, err := certs.ValidUntil(validUntil)
	if err != nil {
		return c, err
	}
	c.ExpiresAt = exp
	return c, nil
}

// addMonthsClamped adds months, clamping to the last day of the target month (2024-02-29 plus
// 12 months is 2025-02-28), as the assessment cycle rule of docs/domain.md requires.
func addMonthsClamped(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}

// assessmentCycle finds the cycle an integrity assessment submitted on asOf assesses: the
// anniversary A_k whose window (A_k … A_k+20 days) holds asOf ends it, A_{k-1} starts it, and
// the certificate is valid until the next window closes (A_{k+1} + 20 days).
func assessmentCycle(firstIssued, asOf string) (start, end, validUntil string, err error) {
	first, err := time.Parse(DateLayout, firstIssued)
	if err != nil {
		return "", "", "", fmt.Errorf("certificate: first_issued %q: %w", firstIssued, err)
	}
	day, err := time.Parse(DateLayout, asOf)
	if err != nil {
		return "", "", "", fmt.Errorf("certificate: as_of %q: %w", asOf, err)
	}
	for k := 1; k <= 100; k++ {
		a := addMonthsClamped(first, 12*k)
		if a.After(day) {
			break
		}
		if !day.After(a.AddDate(0, 0, 20)) {
			prev := addMonthsClamped(first, 12*(k-1))
			next := addMonthsClamped(first, 12*(k+1)).AddDate(0, 0, 20)
			return prev.Format(DateLayout), a.Format(DateLayout), next.Format(DateLayout), nil
		}
	}
	return "", "", "", fmt.Errorf("certificate: %s is in no assessment window of a certificate first issued %s", asOf, firstIssued)
}

// issueFor signs and stores the certificate of an application about to be approved, as the
// rulebook book says the item's certificate is.
func (s *roadcheck) issueFor(ctx context.Context, book Rulebook, spec policies.CertificateSpec, sub Submission, grade string, now time.Time) (CertificateRecord, error) {
	// A certificate is built from the stored document; one stored before the input contract
	// (or edited in the store) is refused with the field at fault, never signed from facts
	// that cannot be read.
	input := sub.Input
	if err := s.shaper.checkContract(book.Contract(), &input); err != nil {
		return CertificateRecord{}, storedDataInvalid(AsError(err))
	}
	c, err := s.buildCertificate(spec, sub, grade, now)
	if err != nil {
		return CertificateRecord{}, err
	}
	payload, err := s.ca.Issue(c)
	if err != nil {
		return CertificateRecord{}, err
	}
	rec := CertificateRecord{
		ID: c.ID, ApplicationID: sub.ID, Portal: sub.Portal, Type: c.Type, Status: CertValid,
		IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, Payload: payload, Cert: c,
	}
	if err := s.store.InsertCertificate(ctx, rec); err != nil {
		return CertificateRecord{}, ErrStoreUnavailable(err)
	}
	return rec, nil
}

// GetCertificate returns a certificate to the portal whose application it is, or to reviewers.
func (s *roadcheck) GetCertificate(ctx context.Context, id string) (CertificateView, error) {
	caller, err := s.caller(ctx)
	if err != nil {
		return CertificateView{}, err
	}
	rec, err := s.store.Certificate(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return CertificateView{}, errNoCertificate
	case err != nil:
		return CertificateView{}, ErrStoreUnavailable(err)
	}
	if caller.Role == RolePortal && rec.Portal != caller.Name {
		return CertificateView{}, errNoCertificate
	}
	v := CertificateView{CertificateRecord: rec, Authority: rec.Cert.Authority,
		ValidUntil: rec.ExpiresAt.In(ChinaTime).Format(DateLayout)}
	if res := s.verify(rec.Payload); res.Certificate != nil {
		v.Content = res.Certificate
	}
	return v, nil
}

// RenderCertificate returns the certificate as PNG or PDF.
func (s *roadcheck) RenderCertificate(ctx context.Context, id, format string) ([]byte, error) {
	v, err := s.GetCertificate(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.renderer == nil && (format == "png" || format == "pdf") {
		return nil, &Error{Code: CodeStoreUnavailable, MessageEN: "certificate rendering is not configured", Message: "未配置凭证生成"}
	}
	switch format {
	case "png":
		return s.renderer.PNG(v.Cert, v.Payload)
	case "pdf":
		return s.renderer.PDF(v.Cert, v.Payload)
	}
	return nil, ErrInvalidField("format", "format must be png or pdf", "格式须为 png 或 pdf")
}

// RevokeCertificate revokes a valid certificate (administrators).
// maxRevokeReason bounds a revocation's reason, in characters.
const maxRevokeReason = 200

func (s *roadcheck) RevokeCertificate(ctx context.Context, id, reason string) (CertificateRecord, error) {
	if _, err := s.caller(ctx); err != nil {
		return CertificateRecord{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return CertificateRecord{}, &Error{Code: CodeReasonRequired, Field: "reason",
			MessageEN: "a reason is required to revoke", Message: "请填写撤销理由"}
	}
	// The reason goes into every copy of the signed revocation list inspectors download.
	if len([]rune(reason)) > maxRevokeReason {
		return CertificateRecord{}, ErrInvalidField("reason", fmt.Sprintf("reason is longer than %d characters", maxRevokeReason),
			fmt.Sprintf("撤销理由超过%d字", maxRevokeReason))
	}
	rec, err := s.store.RevokeCertificate(ctx, id, s.now().UTC(), reason)
	switch {
	case errors.Is(err, ErrNotFound):
		return CertificateRecord{}, errNoCertificate
	case errors.Is(err, ErrStale):
		return CertificateRecord{}, &Error{Code: CodeInvalidTransition,
			MessageEN: "the certificate is already revoked", Message: "凭证已撤销"}
	case err != nil:
		return CertificateRecord{}, ErrStoreUnavailable(err)
	}
	return rec, nil
}

// VerifyPayload checks a payload online: signature against the trust list, key window, expiry,
// and revocation in the store.
func (s *roadcheck) VerifyPayload(ctx context.Context, payload string) (certs.Result, error) {
	if len(payload) > 4096 {
		res := certs.Result{Status: certs.StatusMalformed, Detail: "payload too long"}
		return (&onlineRevocation{s: s, ctx: ctx}).finish(res)
	}
	on := &onlineRevocation{s: s, ctx: ctx}
	return on.finish(s.verifyWith(payload, on.revoked))
}

func (s *roadcheck) verify(payload string) certs.Result { return s.verifyWith(payload, nil) }

func (s *roadcheck) verifyWith(payload string, revoked func(string) bool) certs.Result {
	tl, err := s.ca.TrustList()
	if err != nil {
		return certs.Result{Status: certs.StatusUnknownKey, Detail: err.Error()}
	}
	return certs.Verify(payload, tl, s.now(), revoked)
}

// TrustList is the signed list of keys offline verifiers need.
func (s *roadcheck) TrustList(context.Context) (*certs.TrustList, error) {
	if s.ca == nil {
		return nil, &Error{Code: CodeStoreUnavailable, MessageEN: "no signing keys configured", Message: "未配置签名密钥"}
	}
	return s.ca.TrustList()
}

// PhotoVerifier reads a certificate's QR code from a photo and verifies it.
type PhotoVerifier interface {
	Verify(ctx context.Context, r io.Reader, tl *certs.TrustList, now time.Time, revoked func(string) bool) (certs.Result, error)
}

// VerifyPhoto reads the QR code from an inspector's photo and verifies it online.
func (s *roadcheck) VerifyPhoto(ctx context.Context, photo io.Reader) (certs.Result, error) {
	if s.ca == nil || s.photos == nil {
		return certs.Result{}, &Error{Code: CodeStoreUnavailable, MessageEN: "verification is not configured", Message: "未配置核验"}
	}
	tl, err := s.ca.TrustList()
	if err != nil {
		return certs.Result{}, err
	}
	on := &onlineRevocation{s: s, ctx: ctx}
	res, err := s.photos.Verify(ctx, photo, tl, s.now(), on.revoked)
	switch {
	case errors.Is(err, verify.ErrTooLarge), errors.Is(err, verify.ErrTooManyPixels):
		return certs.Result{}, &Error{Code: CodeImageTooLarge, Field: "image", Err: err,
			MessageEN: "the photo is too large: " + err.Error(), Message: "照片过大，请压缩后重试（最大 12 兆像素）"}
	case errors.Is(err, verify.ErrUnsupportedFormat):
		return certs.Result{}, &Error{Code: CodeUnsupportedMedia, Field: "image", Err: err,
			MessageEN: "upload a JPEG or PNG photo, or the certificate PDF", Message: "请上传 JPEG 或 PNG 格式的照片，或凭证 PDF 文件"}
	case errors.Is(err, verify.ErrUnreadable):
		return certs.Result{}, &Error{Code: CodeImageUnreadable, Field: "image", Err: err,
			MessageEN: "the photo cannot be decoded", Message: "照片已损坏，无法读取"}
	case err != nil:
		return certs.Result{}, err
	}
	return on.finish(res)
}

// storedDataInvalid turns a contract error found in a stored application into 422
// STORED_DATA_INVALID, keeping the fields at fault.
func storedDataInvalid(e *Error) *Error {
	if e.Code != CodeInvalidField {
		return e
	}
	out := newError(CodeStoredDataInvalid, e.Field,
		"办件中保存的数据不符合输入约定，无法签发凭证："+e.Message,
		"the stored application breaks the input contract, so no certificate can be issued: "+e.MessageEN)
	out.Expected, out.Details = e.Expected, e.Details
	return out
}

func storedFieldInvalid(field, message, messageEN string) *Error {
	return newError(CodeStoredDataInvalid, field, "办件中保存的数据无法签发凭证："+message,
		"the stored application cannot be certified: "+messageEN)
}
