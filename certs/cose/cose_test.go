package cose

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"strings"
	"testing"
)

// The Sig_structure of cose-wg/Examples eddsa-sig-02 (COSE_Sign1, protected {1: -8}, payload
// "This is the content.", empty external_aad): an independent check of our ToBeSigned bytes.
func TestSigStructureVector(t *testing.T) {
	prot, _ := hex.DecodeString("A10127")
	got := sigStructure(prot, []byte("This is the content."))
	want := "846A5369676E61747572653143A101274054546869732069732074686520636F6E74656E742E"
	if strings.ToUpper(hex.EncodeToString(got)) != want {
		t.Fatalf("Sig_structure\n got %X\nwant %s", got, want)
	}
}

func testSigner() Ed25519Signer {
	return Ed25519Signer{Key: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))}
}

func TestSign1Layout(t *testing.T) {
	s := testSigner()
	m, err := SignSign1(s, []byte("payload"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// Tag 18, array(4), bstr(13) {1: -8, 4: h'<8 bytes>'}, {}, bstr payload, bstr(64) signature.
	prefix := append([]byte{0xD2, 0x84, 0x4D, 0xA2, 0x01, 0x27, 0x04, 0x48}, KID(s.PublicKey())...)
	prefix = append(prefix, 0xA0, 0x47)
	if !bytes.HasPrefix(b, prefix) {
		t.Fatalf("encoding %X does not start with %X", b, prefix)
	}
	if len(b) != len(prefix)+7+2+64 {
		t.Fatalf("length %d", len(b))
	}
	// The signature is plain Ed25519 over the Sig_structure.
	if !ed25519.Verify(ed25519.PublicKey(s.PublicKey()), sigStructure(m.Protected, m.Payload), m.Signature) {
		t.Fatal("signature does not verify over Sig_structure")
	}
	d, err := DecodeSign1(b)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := NewEd25519Verifier(s.PublicKey())
	if !d.VerifySignature(v) || d.Alg != AlgEdDSA || !bytes.Equal(d.KID, KID(s.PublicKey())) || string(d.Payload) != "payload" {
		t.Fatalf("decoded %+v", d)
	}
}

func TestDecodeSign1RejectsVariants(t *testing.T) {
	m, _ := SignSign1(testSigner(), []byte("payload"))
	good, _ := m.Encode()
	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	if good[16] != 0xA0 || good[17] != 0x47 {
		t.Fatalf("offsets: %X", good[:18])
	}
	cases := map[string][]byte{
		"untagged":              good[1:],
		"other tag":             mod(func(b []byte) []byte { b[0] = 0xD1; return b }), // tag 17 (COSE_Mac0)
		"null unprotected":      mod(func(b []byte) []byte { b[16] = 0xF6; return b }),
		"array unprotected":     mod(func(b []byte) []byte { b[16] = 0x80; return b }),
		"trailing byte":         append(bytes.Clone(good), 0x00),
		"truncated":             good[:len(good)-1],
		"three elements":        mod(func(b []byte) []byte { b[1] = 0x83; return b }),
		"long-form payload len": append(append(bytes.Clone(good[:17]), 0x58, 0x07), good[18:]...),
		"empty":                 {},
	}
	for name, b := range cases {
		if _, err := DecodeSign1(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Indefinite-length array.
	indef := append([]byte{0xD2, 0x9F}, good[2:]...)
	indef = append(indef, 0xFF)
	if _, err := DecodeSign1(indef); err == nil {
		t.Error("indefinite-length array accepted")
	}
	// A kid in the unprotected header instead of the protected one.
	other, _ := encMode.Marshal(map[int]any{1: -8})
	unprot, _ := encMode.Marshal([]any{other, map[int]any{4: []byte("k")}, []byte("p"), make([]byte, 64)})
	if _, err := DecodeSign1(append([]byte{0xD2}, unprot...)); err == nil {
		t.Error("unprotected kid accepted")
	}
}

// Algorithms is a plain value: another algorithm is accepted by whoever is handed a longer
// set, and Builtin stays Ed25519 alone.
func TestAlgorithms(t *testing.T) {
	b := Builtin()
	if s, ok := b.ByID(AlgEdDSA); !ok || s.Name != "EdDSA" {
		t.Fatalf("Builtin EdDSA: %+v %v", s, ok)
	}
	if s, ok := b.ByName("EdDSA"); !ok || s.Alg != AlgEdDSA {
		t.Fatalf("Builtin by name: %+v %v", s, ok)
	}
	const algTest Algorithm = -65535
	more := append(Builtin(), AlgorithmSpec{Alg: algTest, Name: "TEST", NewVerifier: NewEd25519Verifier})
	if _, ok := more.ByName("TEST"); !ok {
		t.Fatal("extended set misses its algorithm")
	}
	if _, ok := Builtin().ByID(algTest); ok {
		t.Fatal("extending one set changed Builtin")
	}
	if _, ok := b.ByName("SM2"); ok {
		t.Fatal("unknown name found")
	}
	s := testSigner()
	m, err := SignSign1(s, []byte("payload"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewEd25519Verifier(s.PublicKey())
	if err != nil || !m.VerifySignature(v) {
		t.Fatalf("verifier: %v", err)
	}
	if _, err := NewEd25519Verifier(s.PublicKey()[:31]); err == nil {
		t.Fatal("short public key accepted")
	}
}
