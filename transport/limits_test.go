package transport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

func photoBody(t testing.TB) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("image", "p.jpg")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write([]byte("\xff\xd8\xff photo bytes"))
	_ = w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func post(t *testing.T, client *http.Client, url, ctype string, body []byte) (int, http.Header, string) {
	t.Helper()
	res, err := client.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return res.StatusCode, res.Header, b.String()
}

// TestTricklingBodiesHoldNoSlot: four connections trickling photo bodies (one byte, then
// nothing) hold no image slot: while they are open, a payload check and a photo from another
// client both succeed, the photo without waiting for a slot. The tricklers are cut off by the
// body read deadline.
func TestTricklingBodiesHoldNoSlot(t *testing.T) {
	h := NewHandler(&fakeService{}, Config{Tokens: newTestTokens(t).tokens,
		Limits: Limits{PhotoSlots: 1, SlotWait: 100 * time.Millisecond, BodyReadTimeout: 1500 * time.Millisecond}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	var tricklers []net.Conn
	for range 4 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 20000000\r\n\r\n-")
		tricklers = append(tricklers, c)
	}
	time.Sleep(100 * time.Millisecond) // the server has them all in their body reads

	client := &http.Client{Timeout: 5 * time.Second}
	start := time.Now()
	if code, _, body := post(t, client, srv.URL+"/v1/verify", "application/json", []byte(`{"payload":"RC1:x"}`)); code != 200 {
		t.Errorf("payload check beside 4 tricklers: %d %s", code, body)
	}
	ctype, photo := photoBody(t)
	if code, _, body := post(t, client, srv.URL+"/v1/verify", ctype, photo); code != 200 {
		t.Errorf("photo beside 4 tricklers: %d %s", code, body)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the two checks took %v beside the tricklers", d)
	}
	// The body read deadline ends each trickler: an answer (400) or a closed connection.
	for i, c := range tricklers {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != 400 {
				t.Errorf("trickler %d: %d", i, res.StatusCode)
			}
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("trickler %d is still connected after its body deadline", i)
		}
	}
}

func limitedHandler(t *testing.T, lim Limits) http.Handler {
	return NewHandler(&fakeService{}, Config{Tokens: newTestTokens(t).tokens, Limits: lim})
}

func send(h http.Handler, method, path, remote, ctype string, body []byte, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.RemoteAddr = remote
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// TestAnonymousRateLimits: photos over the address's bucket are 429 RATE_LIMITED with
// Retry-After; the same address's payload checks and another address's photos are not.
func TestAnonymousRateLimits(t *testing.T) {
	h := limitedHandler(t, Limits{Photo: Rate{PerSecond: 0.5, Burst: 2}, Payload: Rate{PerSecond: 100, Burst: 100},
		Web: Rate{PerSecond: 0.5, Burst: 1}})
	ctype, photo := photoBody(t)
	const a, b = "192.0.2.1:4000", "192.0.2.2:4000"
	for i := range 2 {
		if rec := send(h, "POST", "/v1/verify", a, ctype, photo); rec.Code != 200 {
			t.Fatalf("photo %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	rec := send(h, "POST", "/v1/verify", a, ctype, photo)
	if rec.Code != 429 || errorCode(t, rec.Body.Bytes()) != "RATE_LIMITED" {
		t.Fatalf("photo over the limit: %d %s", rec.Code, rec.Body)
	}
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 2 {
		t.Errorf("Retry-After = %q", rec.Header().Get("Retry-After"))
	}
	if rec := send(h, "POST", "/v1/verify", a, "application/json", []byte(`{"payload":"RC1:x"}`)); rec.Code != 200 {
		t.Errorf("payload check of the same address: %d %s", rec.Code, rec.Body)
	}
	if rec := send(h, "POST", "/v1/verify", b, ctype, photo); rec.Code != 200 {
		t.Errorf("photo of another address: %d %s", rec.Code, rec.Body)
	}
	// X-Forwarded-For is not believed without trusted proxies: a fresh forged address each time
	// does not get a fresh bucket.
	rec = send(h, "POST", "/v1/verify", a, ctype, photo, "X-Forwarded-For", "198.51.100.7")
	if rec.Code != 429 {
		t.Errorf("forged X-Forwarded-For: %d %s", rec.Code, rec.Body)
	}
	// The page, the trust list and the revocation list share the web bucket.
	if rec := send(h, "GET", "/verify", a, "", nil); rec.Code != 200 {
		t.Errorf("/verify: %d", rec.Code)
	}
	if rec := send(h, "GET", "/v1/trust-list", a, "", nil); rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("/v1/trust-list over the web bucket: %d %v", rec.Code, rec.Header())
	}
	if rec := send(h, "GET", "/v1/revocations", a, "", nil); rec.Code != 429 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("/v1/revocations over the web bucket: %d %v", rec.Code, rec.Header())
	}
	if rec := send(h, "GET", "/v1/revocations", b, "", nil); rec.Code != 200 {
		t.Errorf("/v1/revocations of another address: %d %s", rec.Code, rec.Body)
	}
	// Authenticated endpoints are not limited by address.
	if rec := send(h, "GET", "/healthz", a, "", nil); rec.Code != 200 {
		t.Errorf("/healthz: %d", rec.Code)
	}
}

// TestTrustedProxies: with one trusted hop, the address the proxy appended is the client's.
func TestTrustedProxies(t *testing.T) {
	h := limitedHandler(t, Limits{Photo: Rate{PerSecond: 0.001, Burst: 1}, Proxies: TrustedProxies{Hops: 1}})
	ctype, photo := photoBody(t)
	const proxy = "10.0.0.1:5000"
	for i, xff := range []string{"203.0.113.1", "203.0.113.2", "1.1.1.1, 203.0.113.3"} {
		if rec := send(h, "POST", "/v1/verify", proxy, ctype, photo, "X-Forwarded-For", xff); rec.Code != 200 {
			t.Errorf("client %d behind the proxy: %d", i, rec.Code)
		}
	}
	// Forging a left-hand entry does not escape the bucket of the proxy-appended address.
	if rec := send(h, "POST", "/v1/verify", proxy, ctype, photo, "X-Forwarded-For", "9.9.9.9, 203.0.113.1"); rec.Code != 429 {
		t.Errorf("forged entry before the real client: %d", rec.Code)
	}
}

func TestClientAddr(t *testing.T) {
	nets, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.7")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		proxies TrustedProxies
		remote  string
		xff     []string
		want    string
	}{
		{"none trusted", TrustedProxies{}, "192.0.2.1:1", []string{"203.0.113.1"}, "192.0.2.1"},
		{"one hop", TrustedProxies{Hops: 1}, "10.0.0.1:1", []string{"6.6.6.6, 203.0.113.1"}, "203.0.113.1"},
		{"two hops", TrustedProxies{Hops: 2}, "10.0.0.1:1", []string{"6.6.6.6, 203.0.113.1", "10.0.0.2"}, "203.0.113.1"},
		{"hops beyond the header", TrustedProxies{Hops: 3}, "10.0.0.1:1", []string{"203.0.113.1"}, "203.0.113.1"},
		{"one hop, no header", TrustedProxies{Hops: 1}, "10.0.0.1:1", nil, "10.0.0.1"},
		{"garbage at the client's place", TrustedProxies{Hops: 1}, "10.0.0.1:1", []string{"nonsense"}, "10.0.0.1"},
		{"cidr", nets, "10.1.2.3:1", []string{"6.6.6.6, 203.0.113.1, 192.168.1.7"}, "203.0.113.1"},
		{"cidr, untrusted peer", nets, "192.0.2.9:1", []string{"203.0.113.1"}, "192.0.2.9"},
		{"cidr, garbage", nets, "10.1.2.3:1", []string{"nonsense, 10.0.0.5"}, "10.0.0.5"},
		{"ipv4-mapped peer", TrustedProxies{}, "[::ffff:192.0.2.1]:1", nil, "192.0.2.1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, x := range tt.xff {
			r.Header.Add("X-Forwarded-For", x)
		}
		if got := tt.proxies.clientAddr(r); got.String() != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	if k := clientKey(netip.MustParseAddr("2001:db8:1:2:3:4:5:6")); k.String() != "2001:db8:1:2::" {
		t.Errorf("IPv6 key %s", k)
	}
	for _, bad := range []string{"-1", "10.0.0.0/33", "proxy"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]Rate{"off": {}, "0": {}, "5/20": {5, 20}, "2": {2, 4}, "0.2": {0.2, 1}} {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("%q = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"x", "-1", "5/0", "5/x", "NaN"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestLimiterTableIsBounded: a flood of distinct addresses cannot grow the limiter table past
// its bound, and idle entries are dropped.
func TestLimiterTableIsBounded(t *testing.T) {
	k := newKeyedLimiter(Rate{PerSecond: 1, Burst: 1}, 100)
	now := time.Now()
	for i := range 10_000 {
		k.reserve(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), now)
	}
	if n := k.len(); n > 100 {
		t.Errorf("%d entries", n)
	}
	k.reserve(netip.MustParseAddr("192.0.2.1"), now.Add(2*clientIdle))
	if n := k.len(); n != 1 {
		t.Errorf("after the idle period: %d entries", n)
	}
}

// TestTokenQuota: a token file's rate and burst limit that token (429 with Retry-After); a token
// without them is not limited.
func TestTokenQuota(t *testing.T) {
	tokFree, free, _ := NewToken("free", service.RolePortal)
	tokLimited, limited, _ := NewToken("limited", service.RolePortal)
	limited.Rate, limited.Burst = 0.1, 2
	b, _ := json.Marshal(TokenFile{Tokens: []TokenEntry{free, limited}})
	tokens, err := ParseTokens(b)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(&fakeService{}, Config{Tokens: tokens})
	for i := range 3 {
		rec := send(h, "GET", "/v1/applications?applicant_id=1", "192.0.2.1:1", "", nil, "Authorization", "Bearer "+tokLimited)
		switch {
		case i < 2 && rec.Code != 200:
			t.Errorf("request %d within the quota: %d %s", i, rec.Code, rec.Body)
		case i == 2 && (rec.Code != 429 || rec.Header().Get("Retry-After") == ""):
			t.Errorf("over the quota: %d %v", rec.Code, rec.Header())
		}
	}
	for i := range 5 {
		if rec := send(h, "GET", "/v1/applications?applicant_id=1", "192.0.2.1:1", "", nil, "Authorization", "Bearer "+tokFree); rec.Code != 200 {
			t.Errorf("unlimited token, request %d: %d", i, rec.Code)
		}
	}
	for _, bad := range []string{`"rate": -1`, `"burst": 3`, `"rate": 1, "burst": -1`} {
		f := `{"tokens": [{"name": "p", "role": "portal", "sha256": "` + hex.EncodeToString(make([]byte, 32)) + `", ` + bad + `}]}`
		if _, err := ParseTokens([]byte(f)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestClientGoneIsNotAnError: a request whose client went away while the store call was in
// flight is logged at info, not as an ERROR STORE_UNAVAILABLE, and counted as 499.
func TestClientGoneIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	svc := &fakeService{err: service.ErrStoreUnavailable(context.Canceled)}
	h := NewHandler(svc, Config{Tokens: newTestTokens(t).tokens, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/readyz", nil).WithContext(ctx)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "client went away") || !strings.Contains(logs.String(), "status=499") {
		t.Errorf("logs:\n%s", logs.String())
	}
	// A store failure that is not the client leaving is still an error.
	logs.Reset()
	svc.err = service.ErrStoreUnavailable(context.DeadlineExceeded)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/readyz", nil))
	if !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("store failure logs:\n%s", logs.String())
	}
}

// TestReadyzMapsStoreState: /readyz is 503 STORE_UNAVAILABLE while the service reports the
// store cannot take writes, and 200 again once it can.
func TestReadyzMapsStoreState(t *testing.T) {
	svc := &fakeService{err: service.ErrStoreUnavailable(fmt.Errorf("probe: not writable primary"))}
	h := NewHandler(svc, Config{Tokens: newTestTokens(t).tokens})
	if rec := send(h, "GET", "/readyz", "192.0.2.1:1", "", nil); rec.Code != 503 || errorCode(t, rec.Body.Bytes()) != "STORE_UNAVAILABLE" {
		t.Errorf("store not writable: %d %s", rec.Code, rec.Body)
	}
	svc.err = nil
	if rec := send(h, "GET", "/readyz", "192.0.2.1:1", "", nil); rec.Code != 200 {
		t.Errorf("recovered: %d %s", rec.Code, rec.Body)
	}
}

func TestMetricsElsewhere(t *testing.T) {
	h := NewHandler(&fakeService{}, Config{Tokens: newTestTokens(t).tokens, MetricsElsewhere: true})
	if rec := send(h, "GET", "/metrics", "192.0.2.1:1", "", nil); rec.Code != 404 {
		t.Errorf("/metrics on the main handler: %d", rec.Code)
	}
	h = NewHandler(&fakeService{}, Config{Tokens: newTestTokens(t).tokens})
	if rec := send(h, "GET", "/metrics", "192.0.2.1:1", "", nil); rec.Code != 200 {
		t.Errorf("/metrics by default: %d", rec.Code)
	}
}

// TestBodyBudget: the bytes of photo bodies held at once are bounded: a body that would take
// the pool over its budget is 503 BUSY with Retry-After, and a finished request gives its bytes
// back.
func TestBodyBudget(t *testing.T) {
	h := limitedHandler(t, Limits{BodyBudget: 4 << 10})
	ctype, small := photoBody(t)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("image", "big.jpg")
	_, _ = fw.Write(bytes.Repeat([]byte{0xff}, 8<<10))
	_ = w.Close()
	rec := send(h, "POST", "/v1/verify", "192.0.2.1:1", w.FormDataContentType(), buf.Bytes())
	if rec.Code != 503 || errorCode(t, rec.Body.Bytes()) != "BUSY" || rec.Header().Get("Retry-After") == "" {
		t.Errorf("over the budget: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
	for i := range 40 { // each returns its bytes: together they are over the budget
		if rec := send(h, "POST", "/v1/verify", "192.0.2.1:1", ctype, small); rec.Code != 200 {
			t.Errorf("small photo %d: %d %s", i, rec.Code, rec.Body)
		}
	}
}

// TestPhotoWorkShare: photo decoding is charged to a CPU-share bucket, so a flood from many
// addresses (each under its own rate) still cannot take more than its share of the machine.
func TestPhotoWorkShare(t *testing.T) {
	s := newSlots(1, 10*time.Millisecond).withWorkShare(0.01, 1) // 10 ms of work a second, bursts of 40
	release, err := s.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond) // a run longer than the whole burst
	release()
	_, err = s.acquire(context.Background())
	var re *retryError
	if !errors.As(err, &re) || service.AsError(err).Code != service.CodeBusy || re.after < time.Second {
		t.Fatalf("after the share is spent: %v, want BUSY with Retry-After", err)
	}
	// Without a share, the same run leaves the pool open.
	s = newSlots(1, 10*time.Millisecond)
	release, _ = s.acquire(context.Background())
	release()
	if release, err := s.acquire(context.Background()); err != nil {
		t.Errorf("no share: %v", err)
	} else {
		release()
	}
}

// TestTarpitHoldsRefusals: the answer to a client over its rate is held (so a flood proceeds at
// the pace of the hold), a cancelled client is let go at once, and a full pit answers at once.
func TestTarpitHoldsRefusals(t *testing.T) {
	pit := newTarpit(1, 200*time.Millisecond)
	start := time.Now()
	pit.hold(context.Background(), time.Hour)
	if held := time.Since(start); held < 150*time.Millisecond {
		t.Errorf("held %v, want the delay", held)
	}
	// The pit holds no longer than the client's bucket needs to refill.
	start = time.Now()
	pit.hold(context.Background(), time.Millisecond)
	if held := time.Since(start); held > 150*time.Millisecond {
		t.Errorf("held %v for a 1 ms wait", held)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pit.hold(ctx, time.Hour) // returns: the client went away
	pit.held <- struct{}{}   // the pit is full
	pit.hold(context.Background(), time.Hour)
	var none *tarpit
	none.hold(context.Background(), time.Hour) // no pit: no hold
}
