package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the demo against a freshly built roadcheck on its own data directory, as
// `make run` and `make demo` in two terminals would, and checks it did every step.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the service")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "roadcheck")
	if out, err := exec.Command("go", "build", "-o", bin, "../roadcheck").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	data := filepath.Join(dir, "data")
	var serverOut bytes.Buffer
	srv := exec.Command(bin, "serve", "--addr", addr, "--data", data)
	srv.Env = append(os.Environ(), "ROADCHECK_OCR_DIR="+os.Getenv("ROADCHECK_OCR_DIR"))
	srv.Stdout, srv.Stderr = &serverOut, &serverOut
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
	url := "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("roadcheck did not become ready")
		}
	}
	env := map[string]string{"ROADCHECK_URL": url, "ROADCHECK_DATA": data, "DEMO_OUT": filepath.Join(dir, "out"), "ROADCHECK_BIN": bin}
	var out bytes.Buffer
	if err := run(t.Context(), nil, func(k string) string { return env[k] }, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`approved as reviewer: status approved, certificate \w+`),
		regexp.MustCompile(`POST /v1/verify \w+\.png: valid \(integrity_assessment`),
		regexp.MustCompile(`POST /v1/verify \w+\.png: valid \(annual_review`),
		regexp.MustCompile(`verify --text \w+\.pdf \(offline\): status: valid`),
		regexp.MustCompile(`done: 2 applications approved, 2 certificates issued and verified`),
	} {
		if !want.MatchString(got) {
			t.Errorf("demo output lacks %s:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "downloaded "); n != 6 {
		t.Errorf("%d downloads, want 4 certificate files and 2 lists:\n%s", n, got)
	}
}

// TestDemoNeedsTokens: without tokens or a data directory to find them in, it says what to do.
func TestDemoNeedsTokens(t *testing.T) {
	env := map[string]string{"ROADCHECK_DATA": t.TempDir()}
	err := run(t.Context(), nil, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "ROADCHECK_TOKEN") {
		t.Errorf("err = %v, want a hint about ROADCHECK_TOKEN", err)
	}
}
