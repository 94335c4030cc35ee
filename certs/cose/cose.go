// Package cose is COSE_Sign1 (RFC 9052 §4.2) as roadcheck's certificates use it: protected
// header {1: alg, 4: kid}, empty unprotected header, attached payload, tag 18, and the
// signature over ["Signature1", protected, empty external_aad, payload]. kid is the first 8
// bytes of SHA-256 of the raw public key.
//
// Ed25519 (alg -8) is built in (Ed25519Signer, NewEd25519Verifier). Signer, Verifier and
// Algorithms keep the algorithm out of the COSE code, so another one (SM2) is added by passing
// a longer Algorithms value to whoever verifies (certs.ParseTrustListWith); there is no
// package-level registry. DecodeSign1 accepts exactly the encoding SignSign1 and Encode write,
// so one message has one meaning.
package cose

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Algorithm is a COSE algorithm identifier (IANA "COSE Algorithms").
type Algorithm int

// AlgEdDSA is EdDSA; roadcheck uses it with Ed25519 only.
const AlgEdDSA Algorithm = -8

// sign1Tag is the CBOR tag of COSE_Sign1_Tagged (RFC 9052 §4.2).
const sign1Tag = 18

// Signer signs with one private key. The interface keeps the algorithm out of the COSE code so
// that another one (SM2, 国密) can be added without touching it.
type Signer interface {
	Algorithm() Algorithm
	PublicKey() []byte // raw public key, as published in the trust list
	Sign(msg []byte) ([]byte, error)
}

// Verifier checks signatures of one public key.
type Verifier interface {
	Verify(msg, sig []byte) bool
}

// AlgorithmSpec describes a signature algorithm: its COSE identifier, its trust-list name and
// how to build a Verifier from a raw public key.
type AlgorithmSpec struct {
	Alg         Algorithm
	Name        string // trust-list "alg", e.g. "EdDSA"
	NewVerifier func(pub []byte) (Verifier, error)
}

// Algorithms is a set of signature algorithms a verifier accepts. It is a plain value, passed
// to whoever needs it; Builtin is the set this module ships.
type Algorithms []AlgorithmSpec

// Builtin is Ed25519 (EdDSA, alg -8) alone. Append to it to accept another algorithm (for
// example SM2 under a private-use COSE identifier).
func Builtin() Algorithms {
	return Algorithms{{Alg: AlgEdDSA, Name: "EdDSA", NewVerifier: NewEd25519Verifier}}
}

// ByID finds an algorithm by its COSE identifier.
func (as Algorithms) ByID(alg Algorithm) (AlgorithmSpec, bool) {
	for _, s := range as {
		if s.Alg == alg {
			return s, true
		}
	}
	return AlgorithmSpec{}, false
}

// ByName finds an algorithm by its trust-list name.
func (as Algorithms) ByName(name string) (AlgorithmSpec, bool) {
	for _, s := range as {
		if s.Name == name {
			return s, true
		}
	}
	return AlgorithmSpec{}, false
}

// KID is the key identifier: the first 8 bytes of SHA-256 of the raw public key.
func KID(pub []byte) []byte {
	h := sha256.Sum256(pub)
	return h[:8]
}

// Ed25519Signer signs with an Ed25519 private key.
type Ed25519Signer struct{ Key ed25519.PrivateKey }

func (s Ed25519Signer) Algorithm() Algorithm { return AlgEdDSA }
func (s Ed25519Signer) PublicKey() []byte    { return []byte(s.Key.Public().(ed25519.PublicKey)) }
func (s Ed25519Signer) Sign(msg []byte) ([]byte, error) {
	if len(s.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("certs: bad Ed25519 private key")
	}
	return ed25519.Sign(s.Key, msg), nil
}

type ed25519Verifier ed25519.PublicKey

// NewEd25519Verifier is the Verifier of a raw Ed25519 public key.
func NewEd25519Verifier(pub []byte) (Verifier, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("certs: Ed25519 public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	return ed25519Verifier(bytes.Clone(pub)), nil
}

func (v ed25519Verifier) Verify(msg, sig []byte) bool {
	return len(sig) == ed25519.SignatureSize && ed25519.Verify(ed25519.PublicKey(v), msg, sig)
}

// Sign1 is a COSE_Sign1 message (RFC 9052 §4.2) as roadcheck uses it: protected header
// {1: alg, 4: kid}, empty unprotected header, attached payload, tag 18.
type Sign1 struct {
	Protected []byte // serialized protected header, signed as is
	Alg       Algorithm
	KID       []byte
	Payload   []byte
	Signature []byte
}

// EncMode is the deterministic CBOR encoding of COSE messages and of the claims they carry.
func EncMode() cbor.EncMode { return encMode }

// StrictDecMode refuses everything this project never writes: indefinite lengths, duplicate
// keys, unknown fields, tags, deep nesting.
func StrictDecMode() cbor.DecMode { return strictDec }

// TagDecMode is StrictDecMode that allows tags and unknown fields.
func TagDecMode() cbor.DecMode { return tagDec }

type protectedHeader struct {
	Alg Algorithm `cbor:"1,keyasint"`
	KID []byte    `cbor:"4,keyasint"`
}

var (
	encMode = func() cbor.EncMode {
		m, err := cbor.CoreDetEncOptions().EncMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
	// strictDec refuses everything this package never writes: indefinite lengths, duplicate
	// keys, unknown fields, tags, deep nesting.
	strictDec = func() cbor.DecMode {
		m, err := cbor.DecOptions{
			DupMapKey:         cbor.DupMapKeyEnforcedAPF,
			IndefLength:       cbor.IndefLengthForbidden,
			TagsMd:            cbor.TagsForbidden,
			MaxNestedLevels:   4,
			MaxArrayElements:  16,
			MaxMapPairs:       32,
			ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		}.DecMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
	// tagDec is strictDec that lets tags and unknown fields through: for reading just enough of
	// a message to tell its version.
	tagDec = func() cbor.DecMode {
		m, err := cbor.DecOptions{
			DupMapKey:        cbor.DupMapKeyEnforcedAPF,
			IndefLength:      cbor.IndefLengthForbidden,
			TagsMd:           cbor.TagsAllowed,
			MaxNestedLevels:  4,
			MaxArrayElements: 16,
			MaxMapPairs:      32,
		}.DecMode()
		if err != nil {
			panic(err)
		}
		return m
	}()
)

// sigStructure is Sig_structure for COSE_Sign1 with empty external_aad:
// ["Signature1", body_protected, h”, payload].
func sigStructure(protected, payload []byte) []byte {
	b, err := encMode.Marshal([]any{"Signature1", protected, []byte{}, payload})
	if err != nil {
		panic(err) // byte strings and a text string always encode
	}
	return b
}

// SignSign1 signs payload with s and returns the message.
func SignSign1(s Signer, payload []byte) (*Sign1, error) {
	pub := s.PublicKey()
	kid := KID(pub)
	prot, err := encMode.Marshal(protectedHeader{Alg: s.Algorithm(), KID: kid})
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign(sigStructure(prot, payload))
	if err != nil {
		return nil, err
	}
	return &Sign1{Protected: prot, Alg: s.Algorithm(), KID: kid, Payload: payload, Signature: sig}, nil
}

// Encode serializes m as COSE_Sign1_Tagged.
func (m *Sign1) Encode() ([]byte, error) {
	return encMode.Marshal(cbor.Tag{Number: sign1Tag, Content: []any{
		m.Protected, map[int]any{}, m.Payload, m.Signature,
	}})
}

// VerifySignature checks m's signature with v.
func (m *Sign1) VerifySignature(v Verifier) bool {
	return v.Verify(sigStructure(m.Protected, m.Payload), m.Signature)
}

var errSign1 = errors.New("not a COSE_Sign1 message")

// DecodeSign1 parses a COSE_Sign1_Tagged message. It accepts only the exact encoding Encode
// produces (tag 18, definite lengths, shortest heads, empty unprotected map, no trailing
// bytes), so no byte of a message can change without the signature check seeing it.
func DecodeSign1(b []byte) (*Sign1, error) {
	var tag cbor.RawTag
	if err := tagDec.Unmarshal(b, &tag); err != nil {
		return nil, fmt.Errorf("%w: %v", errSign1, err)
	}
	if tag.Number != sign1Tag {
		return nil, fmt.Errorf("%w: tag %d", errSign1, tag.Number)
	}
	var parts []cbor.RawMessage
	if err := strictDec.Unmarshal(tag.Content, &parts); err != nil || len(parts) != 4 {
		return nil, fmt.Errorf("%w: want a 4-element array", errSign1)
	}
	if !bytes.Equal(parts[1], []byte{0xA0}) {
		return nil, fmt.Errorf("%w: unprotected header must be empty", errSign1)
	}
	var bs [3][]byte
	for i, p := range []cbor.RawMessage{parts[0], parts[2], parts[3]} {
		if len(p) == 0 || p[0]>>5 != 2 { // major type 2: byte string
			return nil, fmt.Errorf("%w: element %d is not a byte string", errSign1, i)
		}
		if err := strictDec.Unmarshal(p, &bs[i]); err != nil {
			return nil, fmt.Errorf("%w: %v", errSign1, err)
		}
	}
	var ph protectedHeader
	if err := strictDec.Unmarshal(bs[0], &ph); err != nil {
		return nil, fmt.Errorf("%w: protected header: %v", errSign1, err)
	}
	if len(ph.KID) == 0 {
		return nil, fmt.Errorf("%w: no kid", errSign1)
	}
	m := &Sign1{Protected: bs[0], Alg: ph.Alg, KID: ph.KID, Payload: bs[1], Signature: bs[2]}
	// Re-encoding must give the input back: this rejects non-shortest heads and other
	// alternative encodings of the same values.
	again, err := m.Encode()
	if err != nil || !bytes.Equal(again, b) {
		return nil, fmt.Errorf("%w: non-canonical encoding", errSign1)
	}
	if ph2, err := encMode.Marshal(ph); err != nil || !bytes.Equal(ph2, bs[0]) {
		return nil, fmt.Errorf("%w: non-canonical protected header", errSign1)
	}
	return m, nil
}
