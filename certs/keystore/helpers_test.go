package keystore

import (
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/certstest"
)

// The shared fixtures (certs/certstest), under the names these tests use.
var testNow = certstest.Now

func driverCert(t testing.TB) certs.Certificate { return certstest.DriverCert(t) }

func vehicleCert(t testing.TB) certs.Certificate { return certstest.VehicleCert(t) }

// testStore is a fresh key store whose first key starts a day before testNow.
func testStore(t testing.TB) *KeyStore {
	t.Helper()
	ks, err := OpenWith(t.TempDir(), Options{Now: func() time.Time { return testNow.Add(-24 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func testTrustList(t testing.TB, ks *KeyStore) *certs.TrustList {
	t.Helper()
	tl, err := ks.TrustList()
	if err != nil {
		t.Fatal(err)
	}
	return tl
}
