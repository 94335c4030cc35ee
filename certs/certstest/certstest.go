// Package certstest holds the certificates the certs packages' tests issue, render and verify:
// one integrity assessment and one annual review at a fixed "now". Tests only.
package certstest

import (
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// Now is the fixed "now" of the tests: 2026-12-05 10:30 in China.
var Now = time.Date(2026, 12, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

// ValidUntil is certs.ValidUntil for a date the test knows is good.
func ValidUntil(t testing.TB, d string) time.Time {
	t.Helper()
	v, err := certs.ValidUntil(d)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// DriverCert is an integrity assessment issued at Now.
func DriverCert(t testing.TB) certs.Certificate {
	return certs.Certificate{
		ID: "K7Q2M4XW9TBC3HDA", Type: certs.TypeIntegrityAssessment, IssuedAt: Now,
		ExpiresAt: ValidUntil(t, "2027-12-21"), Authority: "河南省交通运输厅",
		Subject: "张三", IDNumber: "41010519800517002x", QualificationNumber: "Q410100000001",
		Categories: []string{"freight_driver", "dg_driver"}, Grade: "AAA",
		CycleStart: "2025-12-01", CycleEnd: "2026-12-01",
	}
}

// VehicleCert is an annual review issued at Now.
func VehicleCert(t testing.TB) certs.Certificate {
	return certs.Certificate{
		ID: "M3R8C6ZP2KFJ7LWN", Type: certs.TypeAnnualReview, IssuedAt: Now,
		ExpiresAt: ValidUntil(t, "2027-12-04"), Authority: "河南省交通运输厅",
		Plate: "豫A12345", PlateColour: "yellow", TransportCertNumber: "410100123456",
		Operator: "郑州某物流有限公司", ReviewDate: "2026-12-05",
	}
}
