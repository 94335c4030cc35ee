package certs

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// RFC 9285 §4.3 and §4.4 examples.
func TestBase45RFCVectors(t *testing.T) {
	for in, want := range map[string]string{
		"AB": "BB8", "Hello!!": "%69 VD92EX0", "base-45": "UJCLQE7W581", "ietf!": "QED8WEX0", "": "",
	} {
		if got := Base45Encode([]byte(in)); got != want {
			t.Errorf("encode %q = %q, want %q", in, got, want)
		}
		got, err := Base45Decode(want)
		if err != nil || string(got) != in {
			t.Errorf("decode %q = %q, %v; want %q", want, got, err, in)
		}
	}
}

func TestBase45DecodeErrors(t *testing.T) {
	for in, want := range map[string]error{
		"GGW":   ErrBase45Overflow, // 65536
		"ZZZZ":  ErrBase45Overflow, // first group 72485
		"ZZ":    ErrBase45Overflow, // 1610 > 255
		"A":     ErrBase45Length,
		"BB8A":  ErrBase45Length,
		"bb8":   ErrBase45Char, // lower case is not in the alphabet
		"BB#":   ErrBase45Char,
		"B\x00": ErrBase45Char,
	} {
		if _, err := Base45Decode(in); !errors.Is(err, want) {
			t.Errorf("decode %q: err %v, want %v", in, err, want)
		}
	}
}

func TestBase45RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		s := Base45Encode(b)
		if len(s) != Base45EncodedLen(n) {
			t.Fatalf("len %d: encoded length %d, want %d", n, len(s), Base45EncodedLen(n))
		}
		got, err := Base45Decode(s)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("len %d: round trip failed: %v", n, err)
		}
	}
	// Edge values of both group sizes.
	for _, b := range [][]byte{{0xFF, 0xFF}, {0, 0}, {0xFF}, {0}} {
		if got, err := Base45Decode(Base45Encode(b)); err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%x: %v", b, err)
		}
	}
}
