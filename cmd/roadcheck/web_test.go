package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/time/rate"
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

// newBrowser starts headless Chromium with a phone's viewport and its own profile; the
// context ends with the test (at most 3 minutes).
func newBrowser(t *testing.T, browser string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
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
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
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

	ctx := newBrowser(t, browser)

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
	if v.status != "valid" || v.title != "真实有效" {
		t.Errorf("genuine certificate: %+v", v)
	}
	for _, want := range []string{"道路运输驾驶员诚信考核凭证", "AA（合格）", certID, "有效期", "河南省交通运输厅"} {
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
	if v.status != "invalid_signature" {
		t.Errorf("tampered payload: %+v", v)
	}

	if code, b := s.call(t, "POST", "/v1/certificates/"+certID+"/revoke", tok["admin"], strings.NewReader(`{"reason":"测试撤销"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	if v := upload(photo); v.status != "revoked" || v.title != "已撤销" {
		t.Errorf("revoked certificate: %+v", v)
	}
	if v := upload(blank); v.status != "no_qr_found" || v.title != "未识别到二维码" {
		t.Errorf("photo without a QR code: %+v", v)
	}
}

// artefactDir is where the browser tests keep their screenshots: ROADCHECK_ARTEFACTS when set
// (CI can keep it), else the test's temporary directory.
func artefactDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("ROADCHECK_ARTEFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Error(err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// setOffline takes the page off the network, or puts it back: the front stops answering (as
// in airplane mode) and Chromium emulates being offline, for the page and its service worker.
func setOffline(t *testing.T, ctx context.Context, fr *front, offline bool) {
	t.Helper()
	fr.down.Store(offline)
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
		})
		return err
	}))
	if err != nil {
		t.Logf("network emulation (the front is %s all the same): %v", map[bool]string{true: "down", false: "up"}[offline], err)
	}
}

// measureScanner runs the page's scanner for 5 s without stopping at a code and logs its
// rate; under 5 decodes a second is an error.
func measureScanner(t *testing.T, ctx context.Context, what, dir, shot string) {
	t.Helper()
	// Start it, look at the camera view after a second, then wait for the numbers.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.measured = roadcheckMeasure(5), undefined`),
		chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, dir, shot)
	rate, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Frames, Found int
		Seconds       float64
		DecodeMs      float64 `json:"decode_ms"`
	}](`window.measured`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if rate.Frames == 0 || rate.Seconds == 0 {
		t.Fatalf("scanner measured no frames: %+v", rate)
	}
	perSec := float64(rate.Frames) / rate.Seconds
	t.Logf("live scanner, %s (headless Chromium, wasm in a worker, 1280×720 camera downscaled to 800): %.1f decodes/s, %.0f ms per decode, %d of %d frames read",
		what, perSec, rate.DecodeMs/float64(rate.Frames), rate.Found, rate.Frames)
	if perSec < 5 {
		t.Errorf("scanner at %.1f decodes/s with %s, want ≥ 5", perSec, what)
	}
}

// scanned is the verdict of a live scan as the page shows it.
type scanned struct {
	Status, Checked, Title, Details, Note string
}

// pageReady is true once the page has its verifier and its lists, and (online) once the
// service worker controls it, so its copy is complete.
const pageReady = `document.documentElement.dataset.lists === "ready" && !document.getElementById("scan").disabled`

// TestInspectorPageOffline is the inspector at the roadside: one online visit to /verify, then
// no network at all. The page reloads from the service worker's copy, the camera (Chromium's
// fake device playing a Y4M of a photographed certificate) is scanned live and the wasm
// verifier reads the code and checks it against the cached trust list and revocation list:
// valid; after the certificate is revoked and the page visited once more online, revoked,
// with its date and reason, from the cached list. Screenshots are kept (artefactDir); the
// first load and the scanner's decodes a second are logged.
func TestInspectorPageOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service and a browser")
	}
	browser := chromiumPath(t)
	c := issueCertificate(t, "AA")
	if code, _ := c.s.call(t, "GET", "/verify.wasm", "", nil); code != 200 {
		if os.Getenv("CI") != "" {
			t.Fatalf("GET /verify.wasm = %d: the wasm verifier is not built in (make web-wasm)", code)
		}
		t.Skip("no wasm verifier in this build: make web-wasm (make test does)")
	}
	feed := serviceRevocations{}
	fr := newFront(t, c.s.base, feed)
	art := artefactDir(t)
	cam := filepath.Join(t.TempDir(), "camera.y4m")
	cameraFile(t, c.png, qrPart, cam)
	ctx := newBrowser(t, browser,
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true), // grant the camera without asking
		chromedp.Flag("use-file-for-fake-video-capture", cam),
	)

	// The online visit: the page, its verifier and both lists, and the service worker's copy.
	start := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(fr.URL+"/verify"),
		chromedp.Poll[chromedp.Void](pageReady+` && document.documentElement.dataset.offline === "ready" && navigator.serviceWorker.controller !== null`),
	); err != nil {
		t.Fatal(err)
	}
	readyMs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`+document.documentElement.dataset.readyMs`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load (loopback, empty cache): verifier and lists ready %d ms after navigation start; service worker copy complete after %v",
		readyMs, time.Since(start).Round(time.Millisecond))
	screenshot(t, ctx, art, "1-online-first-visit.png")

	scan := func(name string) scanned {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Navigate(fr.URL+"/verify"),
			chromedp.Poll[chromedp.Void](pageReady),
			chromedp.Click(chromedp.ID("scan")),
			chromedp.WaitVisible(chromedp.CSS("#verdict[data-status]")),
		); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[scanned](`(() => { const v = document.getElementById("verdict"); return {
			Status: v.dataset.status, Checked: v.dataset.checked || "", Title: document.getElementById("verdict-title").textContent,
			Details: document.getElementById("details").innerText, Note: document.getElementById("verdict-note").textContent }; })()`))
		if err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, art, name)
		return v
	}
	dateRE := regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日`)

	// Online, the browser's verdict is replaced by the server's (current revocation status).
	v := scan("2-online-scan.png")
	if v.Status != "valid" || v.Title != "真实有效" {
		t.Errorf("online scan: %+v", v)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.getElementById("verdict").dataset.checked === "online"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("online scan not confirmed by the server: %v", err)
	}

	setOffline(t, ctx, fr, true)
	v = scan("3-offline-valid.png")
	if v.Status != "valid" || v.Checked != "list" || v.Title != "真实有效" {
		t.Errorf("offline scan: %+v", v)
	}
	for _, want := range []string{"河南省交通运输厅", "道路运输驾驶员诚信考核凭证", "AA（合格）", c.id, "身份证号后四位"} {
		if !strings.Contains(v.Details, want) {
			t.Errorf("offline verdict lacks %q: %q", want, v.Details)
		}
	}
	if !strings.HasPrefix(v.Note, "离线核验：撤销状态截至 ") || !dateRE.MatchString(strings.TrimPrefix(v.Note, "离线核验：撤销状态截至 ")) {
		t.Errorf("offline note: %q", v.Note)
	}

	// A photo chosen with no network is read in the browser too.
	photo := filepath.Join(t.TempDir(), "certificate.png")
	if err := os.WriteFile(photo, c.png, 0o644); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(fr.URL+"/verify"),
		chromedp.Poll[chromedp.Void](pageReady),
		chromedp.Func(func(context.Context, *chromedp.Target) error {
			t.Logf("offline page ready in %v", time.Since(t0))
			t0 = time.Now()
			return nil
		}),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}),
		chromedp.WaitVisible(chromedp.CSS("#verdict[data-status]")),
	); err != nil {
		t.Fatalf("offline photo: %v", err)
	}
	if st, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("verdict").dataset.status + " " + document.getElementById("verdict").dataset.checked`)); err != nil || st != "valid list" {
		t.Errorf("offline photo: %q, %v", st, err)
	}
	t.Logf("offline photo verdict in %v", time.Since(t0))

	// The scanner's rate on this machine, on frames that hold the code and on frames that do
	// not (a second browser whose camera sees only the page's text).
	measureScanner(t, ctx, "code in view", art, "5-camera-code.png")
	noCode := filepath.Join(t.TempDir(), "camera-text.y4m")
	cameraFile(t, c.png, textPart, noCode)
	ctx2 := newBrowser(t, browser,
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", noCode),
	)
	if err := chromedp.Do(ctx2, chromedp.Navigate(c.s.base+"/verify"), chromedp.Poll[chromedp.Void](pageReady)); err != nil {
		t.Fatal(err)
	}
	measureScanner(t, ctx2, "no code in view", art, "6-camera-text.png")

	// Revoked while the inspector is online once more; then offline, from the cached list.
	setOffline(t, ctx, fr, false)
	if code, b := c.s.call(t, "POST", "/v1/certificates/"+c.id+"/revoke", c.tok["admin"], strings.NewReader(`{"reason":"证件信息有误"}`)); code != 200 {
		t.Fatalf("revoke = %d %s", code, b)
	}
	code, b := c.s.call(t, "GET", "/v1/certificates/"+c.id, c.tok["portal-a"], nil)
	var cert struct {
		RevokedAt    time.Time `json:"revoked_at"`
		RevokeReason string    `json:"revoke_reason"`
	}
	if err := json.Unmarshal(b, &cert); code != 200 || err != nil || cert.RevokedAt.IsZero() {
		t.Fatalf("certificate after revoke = %d %s", code, b)
	}
	feed.revoked(c.id, cert.RevokedAt, cert.RevokeReason)
	if err := chromedp.Do(ctx, chromedp.Navigate(fr.URL+"/verify"), chromedp.Poll[chromedp.Void](pageReady)); err != nil {
		t.Fatal(err)
	}
	setOffline(t, ctx, fr, true)
	v = scan("4-offline-revoked.png")
	if v.Status != "revoked" || v.Checked != "list" || v.Title != "已撤销" {
		t.Errorf("offline scan of the revoked certificate: %+v", v)
	}
	for _, want := range []string{"撤销日期", "撤销原因", "证件信息有误", c.id} {
		if !strings.Contains(v.Details, want) {
			t.Errorf("revoked verdict lacks %q: %q", want, v.Details)
		}
	}
	if !regexp.MustCompile(`撤销日期\s*\d{4}年\d{1,2}月\d{1,2}日`).MatchString(v.Details) {
		t.Errorf("revocation date not in YYYY年M月D日: %q", v.Details)
	}
}

// TestInspectorPageFirstLoad measures the page's first load, empty cache, until the wasm
// verifier and both lists are ready, on loopback and through a throttling proxy (one link
// shared by all requests: 9 Mbit/s with 40 ms, and 1.6 Mbit/s with 150 ms, "fast 3G";
// Chromium's own emulation does not reach the worker's fetch of the wasm). A measurement, not
// a check: it runs with ROADCHECK_MEASURE=1.
func TestInspectorPageFirstLoad(t *testing.T) {
	if os.Getenv("ROADCHECK_MEASURE") == "" {
		t.Skip("a measurement: ROADCHECK_MEASURE=1")
	}
	browser := chromiumPath(t)
	data := t.TempDir()
	s := startServer(t, data)
	if code, _ := s.call(t, "GET", "/verify.wasm", "", nil); code != 200 {
		t.Skip("no wasm verifier in this build: make web-wasm")
	}
	for _, n := range []struct {
		name        string
		latency     time.Duration
		bytesPerSec float64 // 0: not throttled
	}{{"loopback", 0, 0}, {"9 Mbit/s, 40 ms", 40 * time.Millisecond, 9e6 / 8}, {"1.6 Mbit/s, 150 ms", 150 * time.Millisecond, 1.6e6 / 8}} {
		base := s.base
		if n.bytesPerSec > 0 {
			base = throttled(t, s.base, n.latency, n.bytesPerSec)
		}
		ctx := newBrowser(t, browser)
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/verify"), chromedp.Poll[chromedp.Void](pageReady, chromedp.WithPollingTimeout(90*time.Second))); err != nil {
			t.Fatalf("%s: %v", n.name, err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[int](`+document.documentElement.dataset.readyMs`))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("first load, %s: verifier and lists ready %d ms after navigation start (%v from the test's navigate)", n.name, ms, time.Since(start).Round(time.Millisecond))
	}
}

// throttled is a proxy to base whose answers wait latency, then share one link of
// bytesPerSec.
func throttled(t *testing.T, base string, latency time.Duration, bytesPerSec float64) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	const chunk = 16 << 10
	link := rate.NewLimiter(rate.Limit(bytesPerSec), chunk)
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.FlushInterval = -1
	proxy.ErrorLog = log.New(io.Discard, "", 0) // the browser hangs up at the end of a run
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		proxy.ServeHTTP(&slowWriter{ResponseWriter: w, link: link, ctx: r.Context()}, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

type slowWriter struct {
	http.ResponseWriter
	link *rate.Limiter
	ctx  context.Context
}

func (w *slowWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		c := min(len(b), w.link.Burst())
		if err := w.link.WaitN(w.ctx, c); err != nil {
			return n, err
		}
		m, err := w.ResponseWriter.Write(b[:c])
		n += m
		if err != nil {
			return n, err
		}
		b = b[c:]
	}
	return n, nil
}
