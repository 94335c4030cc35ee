package keystore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/render"
)

func TestOpenCreatesFirstKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	ks, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ks.Active()
	if err != nil {
		t.Fatal(err)
	}
	if len(k.KID) != 16 || k.Status != certs.KeyActive || k.SignUntil != "" || k.Issuer != DefaultIssuer || k.Alg != "EdDSA" {
		t.Fatalf("%+v", k)
	}
	fi, err := os.Stat(filepath.Join(dir, k.KID+".pem"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", fi, err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("key directory mode %v", fi.Mode())
	}
	// Reopening finds the same key and creates no other.
	ks2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k2, _ := ks2.Active(); k2.KID != k.KID {
		t.Fatalf("reopen: active %s, want %s", k2.KID, k.KID)
	}
	if _, err := OpenWith(dir, Options{Issuer: "BJ"}); err == nil {
		t.Fatal("opened a HA store as issuer BJ")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
}

func TestRotateAndTrustList(t *testing.T) {
	ks := testStore(t)
	first, _ := ks.Active()
	tl1 := testTrustList(t, ks)
	rot := testNow
	second, err := ks.Rotate(rot)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := ks.Keys()
	if len(keys) != 2 || keys[0].Status != certs.KeyRetired || keys[0].SignUntil != second.SignFrom || keys[1].KID != second.KID {
		t.Fatalf("keys after rotation %+v", keys)
	}
	tl := testTrustList(t, ks)
	if tl.Version != tl1.Version+1 || len(tl.Signed) != 2 || tl.Signed[0].KID != second.KID {
		t.Fatalf("trust list %+v", tl)
	}
	b, err := tl.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	got, err := certs.ParseTrustList(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != tl.Version || len(got.Keys) != 2 {
		t.Fatalf("parsed %+v", got)
	}
	// Pins: the first key (now retired) co-signs, so a verifier pinned to it follows rotations.
	for _, pin := range []string{first.KID, second.KID, strings.ToUpper(first.KID), parsedFingerprint(t, first)} {
		if _, err := certs.ParseTrustList(b, pin); err != nil {
			t.Errorf("pin %s: %v", pin, err)
		}
	}
	if _, err := certs.ParseTrustList(b, "0011223344556677"); !errors.Is(err, certs.ErrTrustList) {
		t.Errorf("unknown pin accepted: %v", err)
	}
	// The same version serializes to the same bytes (deterministic signatures).
	if b2, _ := testTrustList(t, ks).MarshalIndent(); string(b2) != string(b) {
		t.Error("trust list bytes differ between calls")
	}
	// Formatting does not matter; content does.
	compact, _ := json.Marshal(tl)
	if _, err := certs.ParseTrustList(compact); err != nil {
		t.Errorf("compact form: %v", err)
	}
	for name, edit := range map[string]func(m map[string]any){
		"window extended": func(m map[string]any) { key(m, 0)["sign_until"] = "2099-01-01T00:00:00+08:00" },
		"status changed":  func(m map[string]any) { key(m, 0)["status"] = certs.KeyActive; key(m, 0)["sign_until"] = "" },
		"field added":     func(m map[string]any) { m["note"] = "x" },
		"version changed": func(m map[string]any) { m["version"] = 99 },
		"key dropped":     func(m map[string]any) { m["keys"] = m["keys"].([]any)[1:] },
		"unsigned":        func(m map[string]any) { delete(m, "signed") },
		"kid swapped":     func(m map[string]any) { key(m, 0)["kid"] = key(m, 1)["kid"] },
		"number form":     func(m map[string]any) { m["version"] = json.Number("3.0") },
	} {
		var m map[string]any
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		d.Decode(&m)
		edit(m)
		eb, _ := json.Marshal(m)
		if _, err := certs.ParseTrustList(eb); !errors.Is(err, certs.ErrTrustList) {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
	// A self-consistent list made by someone else is accepted only without pins.
	forged, _ := testTrustList(t, testStore(t)).MarshalIndent()
	if _, err := certs.ParseTrustList(forged); err != nil {
		t.Fatal(err)
	}
	if _, err := certs.ParseTrustList(forged, first.KID); err == nil {
		t.Fatal("forged list accepted against a pin")
	}
}

func key(m map[string]any, i int) map[string]any { return m["keys"].([]any)[i].(map[string]any) }

// parsedFingerprint is the SHA-256 fingerprint of k's public key, as a pin.
func parsedFingerprint(t *testing.T, k certs.TrustedKey) string {
	if err := k.Check(); err != nil {
		t.Fatal(err)
	}
	pub, err := b64.DecodeString(k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	fp := sha256.Sum256(pub)
	return hex.EncodeToString(fp[:])
}

// A rotation by another process (roadcheck keys rotate) is picked up before the next signature.
func TestKeyStoreSeesOtherProcessRotation(t *testing.T) {
	dir := t.TempDir()
	start := func() time.Time { return testNow.Add(-time.Hour) }
	serve, err := OpenWith(dir, Options{Now: start})
	if err != nil {
		t.Fatal(err)
	}
	cli, err := OpenWith(dir, Options{Now: start})
	if err != nil {
		t.Fatal(err)
	}
	k, err := cli.Rotate(testNow.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	p, err := serve.Issue(driverCert(t))
	if err != nil {
		t.Fatal(err)
	}
	r := certs.Verify(p, testTrustList(t, cli), testNow, nil)
	if r.Status != certs.StatusValid || r.KID != k.KID {
		t.Fatalf("serve signed with %s (%s), want the rotated key %s", r.KID, r.Status, k.KID)
	}
}

func TestRevokeKey(t *testing.T) {
	ks := testStore(t)
	first, _ := ks.Active()
	if err := ks.RevokeKey(first.KID, testNow); err == nil {
		t.Fatal("revoked the active key")
	}
	ks.Rotate(testNow)
	if err := ks.RevokeKey(first.KID, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(ks.Dir(), first.KID+".pem")); !os.IsNotExist(err) {
		t.Fatal("revoked key's private key still on disk")
	}
	b, _ := testTrustList(t, ks).MarshalIndent()
	tl, err := certs.ParseTrustList(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Signed) != 1 || tl.Keys[0].Status != certs.KeyRevoked {
		t.Fatalf("%+v", tl)
	}
	// Reopen works without the revoked key's file.
	if _, err := Open(ks.Dir()); err != nil {
		t.Fatal(err)
	}
}

// Issue, render and rotate from several goroutines (serve's handlers): every payload verifies.
func TestConcurrentIssue(t *testing.T) {
	ks := testStore(t)
	c := driverCert(t)
	c.IssuedAt = testNow.Add(time.Hour)
	var payloads [4][]string
	r := render.New()
	done := make(chan error, 5)
	for g := range payloads {
		go func() {
			for range 3 {
				p, err := ks.Issue(c)
				if err == nil {
					_, _, err = r.Render(c, p)
				}
				if err != nil {
					done <- err
					return
				}
				payloads[g] = append(payloads[g], p)
			}
			done <- nil
		}()
	}
	go func() {
		_, err := ks.Rotate(testNow)
		done <- err
	}()
	for range 5 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	tl := testTrustList(t, ks)
	for _, ps := range payloads {
		for _, p := range ps {
			if r := certs.Verify(p, tl, c.IssuedAt, nil); r.Status != certs.StatusValid {
				t.Fatalf("%s: %s", r.Status, r.Detail)
			}
		}
	}
}

// A rotation whose clock reading is older than an iat already signed (the issuance won the lock)
// moves the switch to that iat instead of voiding the certificate.
func TestRotateNeverVoidsSignedCertificates(t *testing.T) {
	ks := testStore(t)
	c := driverCert(t)
	c.IssuedAt = testNow.Add(time.Hour)
	p, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ks.Rotate(testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.IssuedAt.In(chinaTZ).Format(time.RFC3339); k.SignFrom != want {
		t.Fatalf("new key starts %s, want %s", k.SignFrom, want)
	}
	if r := certs.Verify(p, testTrustList(t, ks), c.IssuedAt, nil); r.Status != certs.StatusValid {
		t.Fatalf("%s: %s", r.Status, r.Detail)
	}
}

func TestRotateBeforeActiveStartFails(t *testing.T) {
	ks := testStore(t)
	if _, err := ks.Rotate(testNow.Add(-48 * time.Hour)); err == nil {
		t.Fatal("rotated to a time before the active key's window")
	}
	files, _ := filepath.Glob(filepath.Join(ks.Dir(), "*.pem"))
	if len(files) != 1 {
		t.Fatalf("a refused rotation left key files: %v", files)
	}
}
