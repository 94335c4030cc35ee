package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/roadcheck/roadcheck/service"
)

// chromiumPath finds Debian's chromium; CI installs it (.ci/run), elsewhere the test skips.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

// TestInspectorPage drives the /verify page in headless Chromium as an inspector would: choose
// a photo of a certificate, read the verdict.
func TestInspectorPage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service and a browser")
	}
	browser := chromiumPath(t)
	data := t.TempDir()
	tok := writeTokenFile(t, data, map[string]service.Role{
		"portal-a": service.RolePortal, "reviewer": service.RoleReviewer, "admin": service.RoleAdmin,
	})
	s := startServer(t, data, "--tokens", filepath.Join(data, "tokens.json"))
	doc, _, ok := integrityAssessmentDue(t)
	if !ok {
		t.Skip("first-issue date arithmetic differs on 29 February")
	}
	certID := approveApp(t, s, tok, doc, `{"grade":"AA"}`)
	code, certPNG := s.call(t, "GET", "/v1/certificates/"+certID+".png", tok["portal-a"], nil)
	if code != 200 {
		t.Fatalf("certificate PNG = %d", code)
	}
	dir := t.TempDir()
	photo := filepath.Join(dir, "certificate.png")
	if err := os.WriteFile(photo, certPNG, 0o644); err != nil {
		t.Fatal(err)
	}
	blank := filepath.Join(dir, "blank.png")
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.Set(10, 10, color.Black)
	_ = png.Encode(&buf, img)
	if err := os.WriteFile(blank, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	verdict := func(file string) (status, title, details string) {
		t.Helper()
		err := chromedp.Run(ctx,
			chromedp.Navigate(s.base+"/verify"),
			chromedp.WaitReady("#photo"),
			chromedp.SetUploadFiles("#photo", []string{file}),
			chromedp.WaitVisible("#verdict"),
			chromedp.AttributeValue("#verdict", "data-status", &status, nil),
			chromedp.Text("#verdict-title", &title),
			chromedp.Text("#details", &details),
		)
		if err != nil {
			t.Fatal(err)
		}
		return status, title, details
	}

	status, title, details := verdict(photo)
	if status != "genuine" || title != "真实有效" || !strings.Contains(details, "AA（合格）") || !strings.Contains(details, certID) {
		t.Errorf("genuine certificate: %s %q %q", status, title, details)
	}
	if shot := os.Getenv("ROADCHECK_SCREENSHOT"); shot != "" {
		var png []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 90)); err == nil {
			_ = os.WriteFile(shot, png, 0o644)
		}
	}
	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], strings.NewReader(`{"reason":"测试撤销"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	if status, title, _ := verdict(photo); status != "revoked" || title != "已撤销" {
		t.Errorf("revoked certificate: %s %q", status, title)
	}
	if status, title, _ := verdict(blank); status != "unreadable" || title != "未识别到二维码" {
		t.Errorf("photo without a QR code: %s %q", status, title)
	}
}
