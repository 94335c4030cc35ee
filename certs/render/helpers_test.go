package render

import (
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
)

// testNow is the fixed "now" of the tests: 2026-12-05 10:30 in China.
var testNow = time.Date(2026, 12, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

func mustValidUntil(t testing.TB, d string) time.Time {
	t.Helper()
	v, err := certs.ValidUntil(d)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func driverCert(t testing.TB) certs.Certificate {
	return certs.Certificate{
		ID: "K7Q2M4XW9TBC3HDA", Type: certs.TypeIntegrityAssessment, IssuedAt: testNow,
		ExpiresAt: mustValidUntil(t, "2027-12-21"), Authority: "河南省交通运输厅",
		Subject: "张三", IDNumber: "41010519800517002x", QualificationNumber: "Q410100000001",
		Categories: []string{"freight_driver", "dg_driver"}, Grade: "AAA",
		CycleStart: "2025-12-01", CycleEnd: "2026-12-01",
	}
}

func vehicleCert(t testing.TB) certs.Certificate {
	return certs.Certificate{
		ID: "M3R8C6ZP2KFJ7LWN", Type: certs.TypeAnnualReview, IssuedAt: testNow,
		ExpiresAt: mustValidUntil(t, "2027-12-04"), Authority: "河南省交通运输厅",
		Plate: "豫A12345", PlateColour: "yellow", TransportCertNumber: "410100123456",
		Operator: "郑州某物流有限公司", ReviewDate: "2026-12-05",
	}
}

// testStore is a fresh key store whose first key starts a day before testNow.
func testStore(t testing.TB) *keystore.KeyStore {
	t.Helper()
	ks, err := keystore.OpenWith(t.TempDir(), keystore.Options{Now: func() time.Time { return testNow.Add(-24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}
