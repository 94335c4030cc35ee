package keystore

import (
	"errors"
	"testing"

	"github.com/roadcheck/roadcheck/certs"
)

// FuzzParseTrustList feeds a downloaded trust list's bytes, as `roadcheck verify --trust`
// reads them, to the parser: it must refuse with ErrTrustList or accept a list whose keys and
// signatures check out again after a round trip, and never panic.
func FuzzParseTrustList(f *testing.F) {
	ks := testStore(f)
	tl := testTrustList(f, ks)
	indented, err := tl.MarshalIndent()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(indented)
	f.Add([]byte(`{"version":1,"keys":[],"signed":[]}`))
	f.Add([]byte(`{"keys":[{"kid":"00","alg":"EdDSA","public_key":"AA"}]}`))
	f.Add([]byte(`{"a":"\ud800","b":1e999,"c":[{"d":-0.0}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := certs.ParseTrustList(b)
		if err != nil {
			if !errors.Is(err, certs.ErrTrustList) {
				t.Fatalf("error outside ErrTrustList: %v", err)
			}
			return
		}
		if len(got.Keys) == 0 || len(got.Signed) == 0 {
			t.Fatalf("accepted a list without keys or signatures: %s", b)
		}
		again, err := got.MarshalIndent()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := certs.ParseTrustList(again); err != nil {
			t.Fatalf("accepted list does not parse after a round trip: %v\n%s", err, b)
		}
	})
}
