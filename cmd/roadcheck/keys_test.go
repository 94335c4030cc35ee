package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
)

func TestKeysCommand(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "keys")
	var out bytes.Buffer
	keysRun := func(args ...string) int {
		out.Reset()
		return exitCode(run(ctx, append([]string{"roadcheck", "keys"}, args...), noEnv, nil, &out, &out))
	}
	if code := keysRun("rotate", "--keys", dir); code != 2 {
		t.Errorf("rotate without a store: exit %d", code)
	}
	if code := keysRun("new", "--keys", dir); code != 0 || !strings.Contains(out.String(), "active key") {
		t.Fatalf("new: exit %d %s", code, out.String())
	}
	if code := keysRun("new", "--keys", dir); code != 2 {
		t.Errorf("new over an existing store: exit %d", code)
	}
	ks, err := keystore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := ks.Active()
	cert := sampleCertificate(t)
	payload, err := ks.Issue(cert)
	if err != nil {
		t.Fatal(err)
	}
	if code := keysRun("rotate", "--keys", dir); code != 0 {
		t.Fatalf("rotate: exit %d %s", code, out.String())
	}
	file := filepath.Join(t.TempDir(), "trust.json")
	if code := keysRun("trustlist", "--keys", dir, "-o", file); code != 0 {
		t.Fatalf("trustlist: exit %d %s", code, out.String())
	}
	b, _ := os.ReadFile(file)
	tl, err := certs.ParseTrustList(b)
	if err != nil || len(tl.Keys) != 2 {
		t.Fatalf("trust list after a rotation: %v, %d keys", err, len(tl.Keys))
	}
	// The retired key still verifies what it signed inside its window.
	if r := certs.Verify(payload, tl, time.Now(), nil); r.Status != certs.StatusValid || r.KID != first.KID {
		t.Errorf("certificate signed before the rotation: %s (kid %s, want %s)", r.Status, r.KID, first.KID)
	}
	if code := keysRun("frobnicate"); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}

func sampleCertificate(t *testing.T) certs.Certificate {
	t.Helper()
	exp, err := certs.ValidUntil("2099-12-21")
	if err != nil {
		t.Fatal(err)
	}
	c := certs.Certificate{ID: "K7Q2M4XW9TBC3HDA", Type: certs.TypeIntegrityAssessment, Subject: "张三",
		IDNumber: "410105198005170018", QualificationNumber: "Q410100000001", Categories: []string{"freight_driver"},
		Grade: "AA", CycleStart: "2025-12-01", CycleEnd: "2026-12-01", Authority: "河南省交通运输厅", ExpiresAt: exp}
	c.IssuedAt = time.Now()
	return c
}
