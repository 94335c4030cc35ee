package certs

import (
	"strings"
	"testing"
	"time"
)

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"张三": "张*", "张三丰": "张*", "欧阳娜娜": "欧阳*", "欧阳": "欧*", "王": "*", " 李四 ": "李*",
		"阿依古丽·买买提": "阿*", "John Smith": "J*", "": "",
	} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPlate(t *testing.T) {
	for in, want := range map[string]string{
		"豫A12345": "豫A·1****", "豫A·12345": "豫A·1****", "豫AD12345": "豫A·D*****", "豫a1234挂": "豫A·1****",
		"not a plate": "n**********",
	} {
		if got := MaskPlate(in); got != want {
			t.Errorf("MaskPlate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizePlate(t *testing.T) {
	for _, ok := range []string{"豫A12345", "豫A·12345", "豫 A 12345", "豫AD12345", "豫A1234挂", "京AF1234挂"} {
		if _, err := NormalizePlate(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "豫A1234", "豫A1234567", "XA12345", "豫112345", "豫A12#45", "豫A挂2345"} {
		if p, err := NormalizePlate(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, p)
		}
	}
}

func TestMaskIDNumber(t *testing.T) {
	if got := MaskIDNumber("41010519800517002x"); got != "410***********002X" {
		t.Fatal(got)
	}
}

func TestPlateColour(t *testing.T) {
	for in, want := range map[string]PlateColour{"yellow": PlateYellow, "黄色": PlateYellow, "黄": PlateYellow, "yellow_green": PlateYellowGreen, "Blue": PlateBlue} {
		if got, err := ParsePlateColour(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParsePlateColour("purple"); err == nil {
		t.Error("purple accepted")
	}
}

func TestCertificateClaimsCarryNoPersonalData(t *testing.T) {
	c := driverCert(t)
	c.Issuer = "HA"
	cl, err := c.Claims()
	if err != nil {
		t.Fatal(err)
	}
	if cl.Subject != "张*" || cl.IDTail != "002X" || cl.Grade != "AAA" || cl.PeriodStart.String() != "2025-12-01" || cl.PeriodEnd != 20261201 ||
		cl.QualNo != "Q41******0001" {
		t.Fatalf("%+v", cl)
	}
	b, _ := EncodeClaims(cl)
	for _, secret := range []string{"张三", "410105198005170", "Q410100000001"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("claims contain %q", secret)
		}
	}
	vc := vehicleCert(t)
	vc.Issuer = "HA"
	v, err := vc.Claims()
	if err != nil {
		t.Fatal(err)
	}
	if v.Subject != "豫A·1****" || v.Plate != "豫A12345" || v.PlateColour != PlateYellow || v.Result != ResultPass || v.ReviewDate != 20261205 {
		t.Fatalf("%+v", v)
	}
}

func TestCertificateClaimsErrors(t *testing.T) {
	for name, f := range map[string]func(c *Certificate){
		"type":         func(c *Certificate) { c.Type = "x" },
		"no id":        func(c *Certificate) { c.ID = "" },
		"long id":      func(c *Certificate) { c.ID = strings.Repeat("A", MaxIDLen+1) },
		"id charset":   func(c *Certificate) { c.ID = "AB CD" },
		"no name":      func(c *Certificate) { c.Subject = " " },
		"short id":     func(c *Certificate) { c.IDNumber = "12" },
		"bad id tail":  func(c *Certificate) { c.IDNumber = "4101051980051700Y2" },
		"grade":        func(c *Certificate) { c.Grade = "AAAA" },
		"cycle":        func(c *Certificate) { c.CycleStart = "2025-13-01" },
		"cycle order":  func(c *Certificate) { c.CycleStart, c.CycleEnd = c.CycleEnd, c.CycleStart },
		"no issued":    func(c *Certificate) { c.IssuedAt = time.Time{} },
		"exp<=iat":     func(c *Certificate) { c.ExpiresAt = c.IssuedAt },
		"issuer":       func(c *Certificate) { c.Issuer = "henan" },
		"ancient iat":  func(c *Certificate) { c.IssuedAt = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC) },
		"far exp":      func(c *Certificate) { c.ExpiresAt = time.Date(2107, 1, 1, 0, 0, 0, 0, time.UTC) },
		"vehicle type": func(c *Certificate) { c.Type = TypeAnnualReview },
	} {
		c := driverCert(t)
		c.Issuer = "HA"
		f(&c)
		if _, err := c.Claims(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, f := range map[string]func(c *Certificate){
		"plate":  func(c *Certificate) { c.Plate = "ABC" },
		"colour": func(c *Certificate) { c.PlateColour = "" },
		"result": func(c *Certificate) { c.Result = "不合格" },
		"date":   func(c *Certificate) { c.ReviewDate = "" },
	} {
		c := vehicleCert(t)
		c.Issuer = "HA"
		f(&c)
		if _, err := c.Claims(); err == nil {
			t.Errorf("vehicle %s: accepted", name)
		}
	}
}

func TestClaimsValidateLimits(t *testing.T) {
	base := longestClaims(CertIntegrityAssessment)
	if err := base.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(c *Claims){
		"issuer":       func(c *Claims) { c.Issuer += "Z" },
		"id":           func(c *Claims) { c.ID += "Z" },
		"subject":      func(c *Claims) { c.Subject += "*" },
		"control":      func(c *Claims) { c.Subject = "张\n" },
		"tail":         func(c *Claims) { c.IDTail = "12345" },
		"qualno":       func(c *Claims) { c.QualNo = "Q41" + strings.Repeat("*", MaxQualNoLen) + "0001" },
		"qualno chars": func(c *Claims) { c.QualNo = "q41****0001" },
		"plate":        func(c *Claims) { c.Plate = "豫A12345" },
		"version":      func(c *Claims) { c.Version = 2 },
	} {
		c := base
		f(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	v := longestClaims(CertAnnualReview)
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	v.Plate += "1"
	if err := v.Validate(); err == nil {
		t.Error("plate over the limit accepted")
	}
}

func TestMaskQualificationNumber(t *testing.T) {
	for in, want := range map[string]string{
		"Q410100000001":                     "Q41******0001",
		" 41010519800517002x ":              "410***********002X",
		"1234567":                           "", // too short to mask
		"豫交运管410100":                        "", // not A-Z 0-9
		"":                                  "",
		strings.Repeat("1", MaxQualNoLen+1): "",
	} {
		if got := MaskQualificationNumber(in); got != want {
			t.Errorf("MaskQualificationNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
