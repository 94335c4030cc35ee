package keystore

import (
	"testing"

	"github.com/roadcheck/roadcheck/certs"
)

// BenchmarkVerifyPayload is the offline check of a payload string (target ≤ 1 ms).
func BenchmarkVerifyPayload(b *testing.B) {
	ks := testStore(b)
	tl := testTrustList(b, ks)
	p, err := ks.Issue(driverCert(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := certs.Verify(p, tl, testNow, nil); r.Status != certs.StatusValid {
			b.Fatal(r.Status)
		}
	}
}
