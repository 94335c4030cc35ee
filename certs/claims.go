package certs

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ClaimsVersion is the only claims version this package writes and reads.
const ClaimsVersion = 1

// Type names of certificates (api.md, verification result).
const (
	TypeIntegrityAssessment = "integrity_assessment"
	TypeAnnualReview        = "annual_review"
)

// CertType is the certificate type as a small integer in CBOR.
type CertType uint8

const (
	CertIntegrityAssessment CertType = 1
	CertAnnualReview        CertType = 2
)

func (t CertType) String() string {
	switch t {
	case CertIntegrityAssessment:
		return TypeIntegrityAssessment
	case CertAnnualReview:
		return TypeAnnualReview
	}
	return fmt.Sprintf("CertType(%d)", uint8(t))
}

func parseCertType(s string) (CertType, error) {
	switch s {
	case TypeIntegrityAssessment:
		return CertIntegrityAssessment, nil
	case TypeAnnualReview:
		return CertAnnualReview, nil
	}
	return 0, fmt.Errorf("certs: unknown certificate type %q", s)
}

// PlateColour is a plate colour as a small integer in CBOR.
type PlateColour uint8

const (
	PlateBlue        PlateColour = 1
	PlateYellow      PlateColour = 2
	PlateGreen       PlateColour = 3
	PlateYellowGreen PlateColour = 4
	PlateWhite       PlateColour = 5
	PlateBlack       PlateColour = 6
)

var plateColours = []struct {
	c      PlateColour
	code   string
	zh     string
	others []string
}{
	{PlateBlue, "blue", "蓝色", []string{"蓝", "蓝牌"}},
	{PlateYellow, "yellow", "黄色", []string{"黄", "黄牌"}},
	{PlateGreen, "green", "绿色", []string{"绿", "绿牌", "渐变绿"}},
	{PlateYellowGreen, "yellow_green", "黄绿色", []string{"黄绿", "黄绿双拼"}},
	{PlateWhite, "white", "白色", []string{"白", "白牌"}},
	{PlateBlack, "black", "黑色", []string{"黑", "黑牌"}},
}

// String is the API code ("yellow").
func (c PlateColour) String() string {
	for _, p := range plateColours {
		if p.c == c {
			return p.code
		}
	}
	return ""
}

// Chinese is the colour's Chinese name ("黄色").
func (c PlateColour) Chinese() string {
	for _, p := range plateColours {
		if p.c == c {
			return p.zh
		}
	}
	return ""
}

// ParsePlateColour accepts the API code (yellow, yellow_green, …) or the Chinese name.
func ParsePlateColour(s string) (PlateColour, error) {
	s = strings.TrimSpace(s)
	for _, p := range plateColours {
		if strings.EqualFold(s, p.code) || s == p.zh {
			return p.c, nil
		}
		for _, o := range p.others {
			if s == o {
				return p.c, nil
			}
		}
	}
	return 0, fmt.Errorf("certs: unknown plate colour %q", s)
}

// Date is a calendar date stored as the integer YYYYMMDD (readable in CBOR diagnostics, 5 bytes).
type Date uint32

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("certs: date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf is the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date(y*10000 + int(m)*100 + d)
}

func (d Date) valid() bool {
	y, m, day := int(d/10000), time.Month(d/100%100), int(d%100)
	if y < 2000 || y > 2199 {
		return false
	}
	t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && t.Month() == m && t.Day() == day
}

// String is YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}

// Grades of the integrity assessment and their Chinese meaning (domain.md §5).
var gradeMeaning = map[string]string{"AAA": "优良", "AA": "合格", "A": "基本合格", "B": "不合格"}

// GradeMeaning is the Chinese meaning of a grade ("" when unknown).
func GradeMeaning(grade string) string { return gradeMeaning[grade] }

// ResultPass is the only annual-review result a certificate is issued for.
const ResultPass = "合格"

// Claim limits. They bound the signed payload so the QR code stays at version 10, level M
// (TestLongestPayloadFitsQR fails if they stop doing so).
const (
	MaxIssuerLen  = 8  // ASCII A-Z0-9, e.g. "HA"
	MaxIDLen      = 20 // A-Z a-z 0-9 - _
	MaxSubjectLen = 16 // bytes of UTF-8
	MaxPlateLen   = 14 // bytes of UTF-8
	IDTailLen     = 4
	MaxQualNoLen  = 20 // masked qualification number: A-Z 0-9 and *
)

// Lowest and highest instants a claim may carry (unsigned 32-bit seconds keep iat/exp 5 bytes).
var (
	minClaimTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxClaimTime = int64(1<<32 - 1)
)

// Claims is the signed content of a certificate. Integer keys keep it small; no full name and no
// full ID number ever enter it: the inspector matches the masked name and the ID tail (or the
// plate) against the person or vehicle in front of them.
type Claims struct {
	Version     int         `cbor:"1,keyasint"`
	Issuer      string      `cbor:"2,keyasint"` // short code, e.g. "HA"; the full name lives in the trust list
	IssuedAt    int64       `cbor:"3,keyasint"` // iat, unix seconds
	ExpiresAt   int64       `cbor:"4,keyasint"` // exp, unix seconds
	ID          string      `cbor:"5,keyasint"` // certificate id, the revocation key
	Type        CertType    `cbor:"6,keyasint"`
	Subject     string      `cbor:"7,keyasint"`            // 张* or 豫A·1****
	IDTail      string      `cbor:"8,keyasint,omitempty"`  // last 4 of the ID number (person)
	Plate       string      `cbor:"9,keyasint,omitempty"`  // full plate (vehicle)
	PlateColour PlateColour `cbor:"10,keyasint,omitempty"` // vehicle
	Grade       string      `cbor:"11,keyasint,omitempty"` // AAA/AA/A/B (person)
	Result      string      `cbor:"12,keyasint,omitempty"` // 合格 (vehicle)
	PeriodStart Date        `cbor:"13,keyasint,omitempty"` // assessment cycle start
	PeriodEnd   Date        `cbor:"14,keyasint,omitempty"` // assessment cycle end
	ReviewDate  Date        `cbor:"15,keyasint,omitempty"` // annual review date
	// QualNo is the holder's 从业资格证号, masked like an ID number (first 3 and last 4 shown):
	// what an inspector compares with the certificate the driver carries. Optional (person).
	QualNo string `cbor:"16,keyasint,omitempty"`
}

// IssuedTime is iat as a time.
func (c Claims) IssuedTime() time.Time { return time.Unix(c.IssuedAt, 0).In(chinaTZ) }

// ExpiresTime is exp as a time.
func (c Claims) ExpiresTime() time.Time { return time.Unix(c.ExpiresAt, 0).In(chinaTZ) }

var errClaims = errors.New("invalid claims")

// Validate enforces the field formats and length limits that keep the payload within budget.
func (c *Claims) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("certs: %w: %s", errClaims, fmt.Sprintf(format, a...))
	}
	if c.Version != ClaimsVersion {
		return bad("version %d", c.Version)
	}
	if !isCode(c.Issuer, MaxIssuerLen, false) {
		return bad("issuer %q: 1-%d of A-Z 0-9", c.Issuer, MaxIssuerLen)
	}
	if !isCode(c.ID, MaxIDLen, true) {
		return bad("id %q: 1-%d of A-Z a-z 0-9 - _", c.ID, MaxIDLen)
	}
	if c.IssuedAt < minClaimTime || c.IssuedAt > maxClaimTime || c.ExpiresAt < minClaimTime || c.ExpiresAt > maxClaimTime {
		return bad("iat/exp out of range")
	}
	if c.ExpiresAt <= c.IssuedAt {
		return bad("exp not after iat")
	}
	if !isText(c.Subject, MaxSubjectLen) {
		return bad("subject %q: 1-%d bytes of printable UTF-8", c.Subject, MaxSubjectLen)
	}
	switch c.Type {
	case CertIntegrityAssessment:
		if !isIDTail(c.IDTail) {
			return bad("id tail %q: 4 of 0-9 X", c.IDTail)
		}
		if _, ok := gradeMeaning[c.Grade]; !ok {
			return bad("grade %q", c.Grade)
		}
		if !c.PeriodStart.valid() || !c.PeriodEnd.valid() || c.PeriodEnd < c.PeriodStart {
			return bad("period %s..%s", c.PeriodStart, c.PeriodEnd)
		}
		if c.Plate != "" || c.PlateColour != 0 || c.Result != "" || c.ReviewDate != 0 {
			return bad("vehicle fields on an integrity assessment")
		}
		if c.QualNo != "" && !isMaskedCode(c.QualNo, MaxQualNoLen) {
			return bad("qualification number %q: up to %d of A-Z 0-9 *", c.QualNo, MaxQualNoLen)
		}
	case CertAnnualReview:
		if !isText(c.Plate, MaxPlateLen) {
			return bad("plate %q: 1-%d bytes", c.Plate, MaxPlateLen)
		}
		if c.PlateColour.String() == "" {
			return bad("plate colour %d", c.PlateColour)
		}
		if c.Result != ResultPass {
			return bad("result %q", c.Result)
		}
		if !c.ReviewDate.valid() {
			return bad("review date %d", c.ReviewDate)
		}
		if c.IDTail != "" || c.Grade != "" || c.PeriodStart != 0 || c.PeriodEnd != 0 || c.QualNo != "" {
			return bad("person fields on an annual review")
		}
	default:
		return bad("type %d", c.Type)
	}
	return nil
}

// ValidIssuerCode reports whether s can be an issuer code: 1 to MaxIssuerLen of A-Z 0-9.
func ValidIssuerCode(s string) bool { return isCode(s, MaxIssuerLen, false) }

func isCode(s string, max int, lower bool) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case lower && (r >= 'a' && r <= 'z' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}

func isText(s string, maxBytes int) bool {
	if len(s) == 0 || len(s) > maxBytes || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func isMaskedCode(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '*') {
			return false
		}
	}
	return true
}

// MaskQualificationNumber shows the first 3 and last 4 characters of a qualification number
// (an ID number on the new certificates) and stars the rest; "" when it cannot be a claim
// (empty, too short to mask, too long, or not A-Z 0-9).
func MaskQualificationNumber(n string) string {
	n = strings.ToUpper(strings.TrimSpace(n))
	if len(n) < 8 || len(n) > MaxQualNoLen || !isCode(n, MaxQualNoLen, false) {
		return ""
	}
	return n[:3] + strings.Repeat("*", len(n)-7) + n[len(n)-4:]
}

func isIDTail(s string) bool {
	if len(s) != IDTailLen {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == 'X') {
			return false
		}
	}
	return true
}

// compoundSurnames are two-character surnames kept whole by MaskName.
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "上官": true, "诸葛": true, "东方": true, "皇甫": true, "尉迟": true,
	"公孙": true, "慕容": true, "长孙": true, "宇文": true, "司徒": true, "夏侯": true, "令狐": true,
	"端木": true, "独孤": true, "南宫": true, "西门": true, "轩辕": true, "呼延": true, "澹台": true,
	"申屠": true, "太史": true, "闻人": true, "万俟": true, "濮阳": true, "淳于": true, "单于": true,
	"赫连": true, "公冶": true, "宗政": true, "钟离": true, "仲孙": true, "司空": true, "百里": true,
}

// MaskName keeps the surname and replaces the given name by a single "*" (张三丰 → 张*), so
// neither the given name nor its length is disclosed. Known two-character surnames are kept
// whole (欧阳娜娜 → 欧阳*). Names of one character are returned as "*".
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	r := []rune(name)
	if len(r) == 0 {
		return ""
	}
	keep := 1
	if len(r) > 2 && compoundSurnames[string(r[:2])] {
		keep = 2
	}
	if len(r) <= keep {
		return "*"
	}
	return string(r[:keep]) + "*"
}

// MaskIDNumber keeps the first 3 and last 4 characters (domain.md §5): 410***********0018.
func MaskIDNumber(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	if len(id) <= 7 {
		return strings.Repeat("*", len(id))
	}
	return id[:3] + strings.Repeat("*", len(id)-7) + id[len(id)-4:]
}

// provinces are the first characters of mainland plates.
const provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

// plateSuffixes are special last characters (挂 = trailer, common in freight).
const plateSuffixes = "挂学警港澳领使试超"

// NormalizePlate removes separators and spaces, upper-cases letters and checks the shape of a
// mainland plate: province + letter + 5 or 6 of A-Z 0-9, or 4 or 5 and a suffix such as 挂.
func NormalizePlate(p string) (string, error) {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case ' ', '·', '•', '-', '.', '\u3000':
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	s := b.String()
	r := []rune(s)
	ok := len(r) >= 7 && len(r) <= 8 && strings.ContainsRune(provinces, r[0]) && r[1] >= 'A' && r[1] <= 'Z'
	if ok {
		rest := r[2:]
		if strings.ContainsRune(plateSuffixes, rest[len(rest)-1]) {
			rest = rest[:len(rest)-1]
		}
		for _, c := range rest {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				ok = false
			}
		}
	}
	if !ok {
		return "", fmt.Errorf("certs: plate %q is not a mainland plate", p)
	}
	return s, nil
}

// MaskPlate shows the province, the issuing-office letter and the first character of the
// serial, and stars the rest: 豫A12345 → 豫A·1****. Input that is not a plate is masked after
// its first character.
func MaskPlate(plate string) string {
	s, err := NormalizePlate(plate)
	if err != nil {
		r := []rune(strings.TrimSpace(plate))
		if len(r) == 0 {
			return ""
		}
		return string(r[:1]) + strings.Repeat("*", len(r)-1)
	}
	r := []rune(s)
	return string(r[:2]) + "·" + string(r[2]) + strings.Repeat("*", len(r)-3)
}
