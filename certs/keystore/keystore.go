// Package keystore is the issuer's side of roadcheck's certificates (docs/design.md,
// "Certificates"): the signing keys in a directory, their rotation and revocation, issuing
// (signing a certificate's claims into a payload), and signing the trust list and the
// revocation list. Reading and checking what it signs is package certs'.
//
// A KeyStore directory holds keys.json (public state) and one 0600 PKCS#8 PEM file per private
// key. Rotate(now) starts a new active key and ends the previous one's window at now; it stays
// in the trust list as retired. RevokeKey marks a compromised retired key revoked. TrustList
// returns the list {version, issuer, keys: [{kid, alg, public_key, issuer, sign_from,
// sign_until, status}], signed}, signed with detached Ed25519 signatures over its canonical
// JSON (certs.TrustList.SigningInput) by the active key and co-signed by retired keys.
// SignRevocations signs a certs.RevocationList the same way.
//
//	ks, _ := keystore.Open(dir)              // creates the first Ed25519 key if there is none
//	payload, _ := ks.Issue(c)                // "RC1:" + Base45(COSE_Sign1(CBOR claims))
//	tl, _ := ks.TrustList()                  // for certs.Verify(payload, tl, now, revoked)
package keystore

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/cose"
)

// chinaTZ is China Standard Time, the zone of the key windows in keys.json and the trust list.
// A fixed zone (China has no daylight saving) so that a bare machine without tzdata writes the
// same times.
var chinaTZ = time.FixedZone("CST", 8*3600)

var b64 = base64.RawURLEncoding

// DefaultIssuer and DefaultIssuerName are used when Options leave them empty.
const (
	DefaultIssuer     = "HA"
	DefaultIssuerName = "河南省交通运输厅"
)

// Options configure a key store on creation; an existing store keeps its issuer.
type Options struct {
	Issuer     string           // short code written into claims, e.g. "HA"
	IssuerName string           // full name, kept in the trust list (not in claims)
	Now        func() time.Time // clock for the first key; time.Now when nil
}

// KeyStore holds the issuer's signing keys in a directory:
//
//	DIR/keys.json      public state: issuer, list version, keys with windows and status (0644)
//	DIR/<kid>.pem      PKCS#8 private key of each key (0600); removed when a key is revoked
//
// Retired keys keep their private key so they can co-sign trust lists (see TrustList). A
// KeyStore is safe for concurrent use; if another process (`roadcheck keys rotate`) changes
// keys.json, the store reloads it before its next operation, so `serve` never signs with a key
// whose window has been closed behind its back.
type KeyStore struct {
	dir string

	mu      sync.Mutex
	state   storeState
	signers map[string]cose.Signer // kid hex → signer, for keys whose private key is present
	loaded  fileStamp
	lastIAT map[string]int64 // kid → latest iat this process signed with it
}

type storeState struct {
	Issuer     string             `json:"issuer"`
	IssuerName string             `json:"issuer_name"`
	Version    int                `json:"version"`
	UpdatedAt  string             `json:"updated_at"`
	Keys       []certs.TrustedKey `json:"keys"`
}

type fileStamp struct {
	mod  time.Time
	size int64
}

const stateFile = "keys.json"

// Open opens the key store in dir with default options, creating the directory and a first
// key when there is none (what `serve` does on first start and `keys new` does once).
func Open(dir string) (*KeyStore, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with options.
func OpenWith(dir string, o Options) (*KeyStore, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	ks := &KeyStore{dir: dir, lastIAT: map[string]int64{}}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	err := ks.load()
	switch {
	case errors.Is(err, os.ErrNotExist):
		issuer, name := o.Issuer, o.IssuerName
		if issuer == "" {
			issuer, name = DefaultIssuer, DefaultIssuerName
		}
		if !certs.ValidIssuerCode(issuer) {
			return nil, fmt.Errorf("certs: issuer code %q: 1-%d of A-Z 0-9", issuer, certs.MaxIssuerLen)
		}
		ks.state = storeState{Issuer: issuer, IssuerName: name}
		ks.signers = map[string]cose.Signer{}
		if _, err := ks.addKey(o.Now()); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	case o.Issuer != "" && o.Issuer != ks.state.Issuer:
		return nil, fmt.Errorf("certs: key store %s belongs to issuer %q, not %q", dir, ks.state.Issuer, o.Issuer)
	}
	return ks, nil
}

// Dir is the store's directory.
func (ks *KeyStore) Dir() string { return ks.dir }

// Issuer is the store's issuer code and full name.
func (ks *KeyStore) Issuer() (code, name string) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.state.Issuer, ks.state.IssuerName
}

// load reads keys.json and the private keys.
func (ks *KeyStore) load() error {
	p := filepath.Join(ks.dir, stateFile)
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var st storeState
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("certs: %s: %v", p, err)
	}
	if len(st.Keys) == 0 {
		return fmt.Errorf("certs: %s has no keys", p)
	}
	signers := map[string]cose.Signer{}
	active := 0
	for i := range st.Keys {
		k := &st.Keys[i]
		if err := k.Check(); err != nil {
			return fmt.Errorf("certs: %s: %v", p, err)
		}
		if k.Status == certs.KeyActive {
			active++
		}
		if k.Status == certs.KeyRevoked {
			continue
		}
		s, err := readPrivateKey(filepath.Join(ks.dir, k.KID+".pem"))
		switch {
		case errors.Is(err, os.ErrNotExist) && k.Status == certs.KeyRetired:
			continue // a retired key may have been archived offline; it just stops co-signing
		case err != nil:
			return fmt.Errorf("certs: key %s: %v", k.KID, err)
		}
		if hex.EncodeToString(cose.KID(s.PublicKey())) != k.KID {
			return fmt.Errorf("certs: key %s: private key does not match", k.KID)
		}
		signers[k.KID] = s
	}
	if active != 1 {
		return fmt.Errorf("certs: %s has %d active keys, want 1", p, active)
	}
	ks.state, ks.signers = st, signers
	ks.loaded = fileStamp{fi.ModTime(), fi.Size()}
	return nil
}

// refresh reloads keys.json when another process changed it.
func (ks *KeyStore) refresh() error {
	fi, err := os.Stat(filepath.Join(ks.dir, stateFile))
	if err != nil {
		return err
	}
	if (fileStamp{fi.ModTime(), fi.Size()}) == ks.loaded {
		return nil
	}
	return ks.load()
}

func readPrivateKey(path string) (cose.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s: not a PEM private key", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an Ed25519 key", path)
	}
	return cose.Ed25519Signer{Key: ek}, nil
}

// addKey creates a new active key starting at now, closing the previous active key's window.
func (ks *KeyStore) addKey(now time.Time) (certs.TrustedKey, error) {
	now = now.Truncate(time.Second)
	if act := ks.active(); act.KID != "" {
		if from, _ := time.Parse(time.RFC3339, act.SignFrom); now.Before(from) {
			return certs.TrustedKey{}, fmt.Errorf("certs: rotation at %s is before the active key's start %s", now.Format(time.RFC3339), act.SignFrom)
		}
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return certs.TrustedKey{}, err
	}
	s := cose.Ed25519Signer{Key: priv}
	kid := hex.EncodeToString(cose.KID(s.PublicKey()))
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return certs.TrustedKey{}, err
	}
	// The private key is on disk before keys.json names it: a crash in between leaves an
	// unused file, never a listed key without its private half.
	if err := writeFileAtomic(filepath.Join(ks.dir, kid+".pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return certs.TrustedKey{}, err
	}
	st := ks.state
	st.Keys = append([]certs.TrustedKey(nil), st.Keys...)
	for i := range st.Keys {
		if st.Keys[i].Status == certs.KeyActive {
			st.Keys[i].Status = certs.KeyRetired
			st.Keys[i].SignUntil = now.In(chinaTZ).Format(time.RFC3339)
		}
	}
	k := certs.TrustedKey{KID: kid, Alg: "EdDSA", PublicKey: b64.EncodeToString(s.PublicKey()), Issuer: st.Issuer,
		SignFrom: now.In(chinaTZ).Format(time.RFC3339), Status: certs.KeyActive}
	st.Keys = append(st.Keys, k)
	st.Version++
	st.UpdatedAt = k.SignFrom
	if err := ks.save(st); err != nil {
		return certs.TrustedKey{}, err
	}
	ks.signers[kid] = s
	return k, nil
}

func (ks *KeyStore) save(st storeState) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(ks.dir, stateFile)
	if err := writeFileAtomic(p, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	ks.state = st
	ks.loaded = fileStamp{fi.ModTime(), fi.Size()}
	return nil
}

// writeFileAtomic writes via a synced temporary file and rename, so readers see the old or the
// new content, never a torn file.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Rotate makes a new active key whose window starts at now. The previous key's window ends at
// now; it stays in the trust list (retired) and keeps verifying what it signed. If this process
// already signed with the previous key at a later iat (an issuance that won the lock against
// this rotation), the switch happens at that iat instead, so no certificate falls outside its
// key's window.
func (ks *KeyStore) Rotate(now time.Time) (certs.TrustedKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return certs.TrustedKey{}, err
	}
	if last := ks.lastIAT[ks.active().KID]; last > now.Unix() {
		now = time.Unix(last, 0)
	}
	return ks.addKey(now)
}

// RevokeKey marks a retired key revoked (compromised): nothing it signed verifies any more, and
// its private key file is deleted. Rotate first to revoke the active key.
func (ks *KeyStore) RevokeKey(kid string, now time.Time) error {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return err
	}
	st := ks.state
	st.Keys = append([]certs.TrustedKey(nil), st.Keys...)
	found := false
	for i := range st.Keys {
		if st.Keys[i].KID != kid {
			continue
		}
		if st.Keys[i].Status == certs.KeyActive {
			return errors.New("certs: rotate before revoking the active key")
		}
		st.Keys[i].Status = certs.KeyRevoked
		found = true
	}
	if !found {
		return fmt.Errorf("certs: no key %s", kid)
	}
	st.Version++
	st.UpdatedAt = now.Truncate(time.Second).In(chinaTZ).Format(time.RFC3339)
	if err := ks.save(st); err != nil {
		return err
	}
	delete(ks.signers, kid)
	if err := os.Remove(filepath.Join(ks.dir, kid+".pem")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// Active is the active key.
func (ks *KeyStore) Active() (certs.TrustedKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return certs.TrustedKey{}, err
	}
	return ks.active(), nil
}

func (ks *KeyStore) active() certs.TrustedKey {
	for _, k := range ks.state.Keys {
		if k.Status == certs.KeyActive {
			return k
		}
	}
	return certs.TrustedKey{} // load guarantees one
}

// Version is the trust list's version: it increases with every key change.
func (ks *KeyStore) Version() (int, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return 0, err
	}
	return ks.state.Version, nil
}

// Keys lists all keys, oldest first.
func (ks *KeyStore) Keys() ([]certs.TrustedKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return nil, err
	}
	return append([]certs.TrustedKey(nil), ks.state.Keys...), nil
}

// TrustList is the current signed trust list. Ed25519 signatures are deterministic, so a given
// version always serializes to the same bytes (cacheable, ETag-able).
func (ks *KeyStore) TrustList() (*certs.TrustList, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return nil, err
	}
	tl := &certs.TrustList{
		Version: ks.state.Version, Issuer: ks.state.Issuer, IssuerName: ks.state.IssuerName,
		UpdatedAt: ks.state.UpdatedAt, Keys: append([]certs.TrustedKey(nil), ks.state.Keys...),
	}
	msg, err := tl.SigningInput()
	if err != nil {
		return nil, err
	}
	if tl.Signed, err = signDetached(msg, ks.listSigners()); err != nil {
		return nil, err
	}
	return tl, nil
}

// listSigners are the keys that sign the trust list and the revocation list: the active key
// first, then every retired key whose private key is held (so a verifier that knows only an
// older key still accepts both lists across rotations). The caller holds ks.mu.
func (ks *KeyStore) listSigners() []cose.Signer {
	act := ks.active()
	signers := []cose.Signer{ks.signers[act.KID]}
	for _, k := range ks.state.Keys {
		if s := ks.signers[k.KID]; s != nil && k.KID != act.KID && k.Status == certs.KeyRetired {
			signers = append(signers, s)
		}
	}
	return signers
}

// Issue signs the claims of c and returns the payload string. c.ID, c.IssuedAt and
// c.ExpiresAt must be set (see certs.NewCertificateID, certs.ValidUntil); c.Issuer may be
// empty (the store's issuer) or must equal it. The active key signs; an iat from just before the latest rotation
// is signed by the retired key whose window holds it.
func (ks *KeyStore) Issue(c certs.Certificate) (string, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return "", err
	}
	if c.Issuer == "" {
		c.Issuer = ks.state.Issuer
	} else if c.Issuer != ks.state.Issuer {
		return "", fmt.Errorf("certs: certificate issuer %q, key store issuer %q", c.Issuer, ks.state.Issuer)
	}
	cl, err := c.Claims()
	if err != nil {
		return "", err
	}
	s, kid := ks.signerAt(cl.IssuedTime())
	if s == nil {
		return "", fmt.Errorf("certs: no signing key held for issued_at %s", cl.IssuedTime().Format(time.RFC3339))
	}
	p, err := certs.SignClaims(s, cl)
	if err != nil {
		return "", err
	}
	if cl.IssuedAt > ks.lastIAT[kid] {
		ks.lastIAT[kid] = cl.IssuedAt
	}
	return p, nil
}

// signerAt is the held key whose signing window contains t, the active key first.
func (ks *KeyStore) signerAt(t time.Time) (cose.Signer, string) {
	act := ks.active()
	keys := append([]certs.TrustedKey{act}, ks.state.Keys...)
	for i := range keys {
		k := &keys[i]
		if k.Status == certs.KeyRevoked || ks.signers[k.KID] == nil {
			continue
		}
		if k.SignsAt(t) {
			return ks.signers[k.KID], k.KID
		}
	}
	return nil, ""
}

// SignRevocations makes the revocation list as of issuedAt (certs.NewRevocationList: truncated
// to the second, in UTC, valid for certs.RevocationListValidity, revoked sorted by id) and signs
// it with the keys that sign the trust list.
func (ks *KeyStore) SignRevocations(issuedAt time.Time, revoked []certs.Revocation) (*certs.RevocationList, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if err := ks.refresh(); err != nil {
		return nil, err
	}
	l, err := certs.NewRevocationList(ks.state.Issuer, issuedAt, revoked)
	if err != nil {
		return nil, err
	}
	msg, err := l.SigningInput()
	if err != nil {
		return nil, err
	}
	if l.Signed, err = signDetached(msg, ks.listSigners()); err != nil {
		return nil, err
	}
	return l, nil
}

// signDetached is the detached signature of every signer over msg (a canonical JSON signing
// input), in the signers' order: the scheme of the trust list and of the revocation list.
func signDetached(msg []byte, signers []cose.Signer) ([]certs.ListSignature, error) {
	var out []certs.ListSignature
	for _, s := range signers {
		spec, ok := cose.Builtin().ByID(s.Algorithm())
		if !ok {
			return nil, fmt.Errorf("certs: unsupported algorithm %d", s.Algorithm())
		}
		sig, err := s.Sign(msg)
		if err != nil {
			return nil, err
		}
		out = append(out, certs.ListSignature{KID: hex.EncodeToString(cose.KID(s.PublicKey())), Alg: spec.Name, Sig: b64.EncodeToString(sig)})
	}
	return out, nil
}
