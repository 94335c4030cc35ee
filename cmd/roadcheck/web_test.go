package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// pageVerdict is what the inspector sees after choosing a photo.
type pageVerdict struct {
	status, title, text, details string
}

// TestInspectorPage drives the /verify page in headless Chromium as an inspector would: choose
// a photo of a certificate, read the verdict. It covers genuine, revoked, unreadable and a
// forged payload typed by hand.
func TestInspectorPage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service and a browser")
	}
	browser := chromiumPath(t)
	c := issueCertificate(t, "AA")
	s, tok, certID := c.s, c.tok, c.id
	dir := t.TempDir()
	photo := filepath.Join(dir, "certificate.png")
	if err := os.WriteFile(photo, c.png, 0o644); err != nil {
		t.Fatal(err)
	}
	blank := filepath.Join(dir, "blank.png")
	if err := os.WriteFile(blank, blankPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers often have a small /dev/shm
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(412, 915), // a phone's viewport
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	// read waits for the page to show a verdict (the box has a status only once a result is
	// drawn; each call starts from a fresh page load) and reads it.
	read := func(steps ...chromedp.Action[chromedp.Void]) pageVerdict {
		t.Helper()
		all := append([]chromedp.Action[chromedp.Void]{
			chromedp.Navigate(s.base + "/verify"),
			chromedp.WaitReady(chromedp.ID("photo")),
		}, steps...)
		all = append(all, chromedp.WaitVisible(chromedp.CSS("#verdict[data-status]")))
		if err := chromedp.Do(ctx, all...); err != nil {
			t.Fatal(err)
		}
		var v pageVerdict
		attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("verdict"), "data-status"))
		if err != nil {
			t.Fatal(err)
		}
		v.status = attr.Value
		for _, f := range []struct {
			id  string
			dst *string
		}{{"verdict-title", &v.title}, {"verdict-text", &v.text}, {"details", &v.details}} {
			if *f.dst, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID(f.id))); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	upload := func(file string) pageVerdict {
		t.Helper()
		return read(chromedp.SetUploadFiles(chromedp.ID("photo"), []string{file}))
	}

	v := upload(photo)
	if v.status != "genuine" || v.title != "真实有效" {
		t.Errorf("genuine certificate: %+v", v)
	}
	for _, want := range []string{"道路运输驾驶员诚信考核凭证", "AA（合格）", certID, "有效期至"} {
		if !strings.Contains(v.details, want) {
			t.Errorf("details lack %q: %q", want, v.details)
		}
	}
	if shot := os.Getenv("ROADCHECK_SCREENSHOT"); shot != "" {
		if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
			_ = os.WriteFile(shot, b, 0o644)
		}
	}

	// A payload typed by hand with one character changed is reported as forged.
	v = read(
		chromedp.Click(chromedp.CSS("details summary")),
		chromedp.SendKeys(chromedp.ID("payload"), tamper(c.payload)),
		chromedp.Click(chromedp.CSS("#payload-form button")),
	)
	if v.status != "forged" {
		t.Errorf("tampered payload: %+v", v)
	}

	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], strings.NewReader(`{"reason":"测试撤销"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	if v := upload(photo); v.status != "revoked" || v.title != "已撤销" {
		t.Errorf("revoked certificate: %+v", v)
	}
	if v := upload(blank); v.status != "unreadable" || v.title != "未识别到二维码" {
		t.Errorf("photo without a QR code: %+v", v)
	}
}
