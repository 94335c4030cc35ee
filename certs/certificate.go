package certs

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"
)

// chinaTZ is China Standard Time. A fixed zone (China has no daylight saving) so that a bare
// machine without tzdata renders the same dates.
var chinaTZ = time.FixedZone("CST", 8*3600)

// Certificate is what the service knows about an issued certificate. Full name and full ID
// number are used only to render the PNG/PDF (the ID masked); the signed claims get the masked
// forms (see Claims).
type Certificate struct {
	ID        string    // certificate id, the revocation key (NewCertificateID)
	Type      string    // TypeIntegrityAssessment or TypeAnnualReview
	Issuer    string    // issuer code ("HA"); empty = the key store's
	IssuedAt  time.Time // iat
	ExpiresAt time.Time // exp; ValidUntil gives the end of the "valid until" day
	Authority string    // issuing authority's full name, for rendering (河南省交通运输厅)

	// Integrity assessment (诚信考核凭证).
	Subject             string   // holder's full name, only for rendering
	IDNumber            string   // full ID number, only for masking
	QualificationNumber string   // 从业资格证号
	Categories          []string // qualification category codes (freight_driver, …) or Chinese names
	Grade               string   // AAA, AA, A, B
	CycleStart          string   // YYYY-MM-DD
	CycleEnd            string   // YYYY-MM-DD

	// Annual review (年度审核凭证).
	Plate               string // 豫A12345
	PlateColour         string // yellow, blue, … (api.md codes) or 黄色
	TransportCertNumber string // 道路运输证号
	Operator            string // 业户名称
	ReviewDate          string // YYYY-MM-DD
	Result              string // 合格 (default)
}

// NewCertificateID returns a random 16-character base32 id (80 bits): unguessable, so ids can
// be looked up and revoked without leaking how many certificates exist.
func NewCertificateID() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base32.StdEncoding.EncodeToString(b[:])
}

// ValidUntil is the last second of date (YYYY-MM-DD) in China Standard Time: the exp of a
// certificate "valid until" that day.
func ValidUntil(date string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, date, chinaTZ)
	if err != nil {
		return time.Time{}, fmt.Errorf("certs: date %q: want YYYY-MM-DD", date)
	}
	return t.AddDate(0, 0, 1).Add(-time.Second), nil
}

// Claims derives the signed claims: masked name and ID tail, or masked and full plate.
func (c Certificate) Claims() (Claims, error) {
	t, err := parseCertType(c.Type)
	if err != nil {
		return Claims{}, err
	}
	cl := Claims{
		Version: ClaimsVersion, Issuer: c.Issuer, ID: c.ID, Type: t,
		IssuedAt: c.IssuedAt.Unix(), ExpiresAt: c.ExpiresAt.Unix(),
	}
	if c.IssuedAt.IsZero() || c.ExpiresAt.IsZero() {
		return Claims{}, fmt.Errorf("certs: IssuedAt and ExpiresAt are required")
	}
	switch t {
	case CertIntegrityAssessment:
		if strings.TrimSpace(c.Subject) == "" {
			return Claims{}, fmt.Errorf("certs: holder name is required")
		}
		cl.Subject = MaskName(c.Subject)
		id := strings.ToUpper(strings.TrimSpace(c.IDNumber))
		if len(id) < IDTailLen {
			return Claims{}, fmt.Errorf("certs: ID number too short")
		}
		cl.IDTail = id[len(id)-IDTailLen:]
		cl.QualNo = MaskQualificationNumber(c.QualificationNumber)
		cl.Grade = strings.ToUpper(strings.TrimSpace(c.Grade))
		if cl.PeriodStart, err = ParseDate(c.CycleStart); err != nil {
			return Claims{}, err
		}
		if cl.PeriodEnd, err = ParseDate(c.CycleEnd); err != nil {
			return Claims{}, err
		}
	case CertAnnualReview:
		if cl.Plate, err = NormalizePlate(c.Plate); err != nil {
			return Claims{}, err
		}
		cl.Subject = MaskPlate(cl.Plate)
		if cl.PlateColour, err = ParsePlateColour(c.PlateColour); err != nil {
			return Claims{}, err
		}
		switch strings.TrimSpace(c.Result) {
		case "", ResultPass, "pass", "passed":
			cl.Result = ResultPass
		default:
			return Claims{}, fmt.Errorf("certs: annual review result %q: only 合格 is certified", c.Result)
		}
		if cl.ReviewDate, err = ParseDate(c.ReviewDate); err != nil {
			return Claims{}, err
		}
	}
	if err := cl.Validate(); err != nil {
		return Claims{}, err
	}
	return cl, nil
}
