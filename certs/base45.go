package certs

import (
	"errors"
	"fmt"
)

// base45Alphabet is RFC 9285's alphabet: exactly the QR alphanumeric set, which is why the payload
// uses Base45 (a QR code then packs 2 bytes into 16.5 bits instead of 16 in byte mode plus
// escaping).
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var base45Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = int8(i)
	}
	return t
}()

// Base45 decoding errors.
var (
	ErrBase45Char     = errors.New("base45: invalid character")
	ErrBase45Length   = errors.New("base45: invalid length")
	ErrBase45Overflow = errors.New("base45: value overflow")
)

// Base45Encode encodes b as RFC 9285 Base45.
func Base45Encode(b []byte) string {
	out := make([]byte, 0, len(b)/2*3+2)
	for i := 0; i+1 < len(b); i += 2 {
		n := int(b[i])<<8 | int(b[i+1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45%45], base45Alphabet[n/2025])
	}
	if len(b)%2 == 1 {
		n := int(b[len(b)-1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45])
	}
	return string(out)
}

// Base45EncodedLen is the length of the Base45 encoding of n bytes.
func Base45EncodedLen(n int) int { return n/2*3 + n%2*2 }

// Base45Decode decodes RFC 9285 Base45. It rejects characters outside the alphabet, a trailing
// single character, and groups whose value does not fit (3 chars > 65535, 2 chars > 255), so
// every byte string has exactly one accepted encoding.
func Base45Decode(s string) ([]byte, error) {
	out := make([]byte, 0, len(s)/3*2+1)
	i := 0
	for ; i+3 <= len(s); i += 3 {
		c, d, e := base45Index[s[i]], base45Index[s[i+1]], base45Index[s[i+2]]
		if c < 0 || d < 0 || e < 0 {
			return nil, fmt.Errorf("%w at %d", ErrBase45Char, i)
		}
		n := int(c) + int(d)*45 + int(e)*2025
		if n > 0xFFFF {
			return nil, fmt.Errorf("%w at %d", ErrBase45Overflow, i)
		}
		out = append(out, byte(n>>8), byte(n))
	}
	switch len(s) - i {
	case 0:
	case 2:
		c, d := base45Index[s[i]], base45Index[s[i+1]]
		if c < 0 || d < 0 {
			return nil, fmt.Errorf("%w at %d", ErrBase45Char, i)
		}
		n := int(c) + int(d)*45
		if n > 0xFF {
			return nil, fmt.Errorf("%w at %d", ErrBase45Overflow, i)
		}
		out = append(out, byte(n))
	default:
		return nil, ErrBase45Length
	}
	return out, nil
}
