package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/roadcheck/roadcheck/service"
)

// Limits are the network limits of the handler. The zero value turns rate limiting off and
// takes the default slot, wait and body-read settings; serve sets DefaultLimits.
type Limits struct {
	// Per client address, for the anonymous endpoints: photo verification (multipart POST
	// /v1/verify), payload verification (JSON POST /v1/verify), and the inspector's page with
	// its assets, GET /v1/trust-list and GET /v1/revocations. A zero Rate is no limit.
	Photo, Payload, Web Rate
	// Proxies says which X-Forwarded-For entries to believe; the zero value believes none and
	// takes the client address from the connection.
	Proxies TrustedProxies
	// PhotoSlots bounds the anonymous photo decodings run at once; 0 is GOMAXPROCS/2, at
	// least 1, so a flood of photos (one can cost a second of CPU) leaves the other half of
	// the CPUs to everything else. UploadSlots bounds the material analyses (portals, each
	// holding up to the upload limit in memory); 0 is 2 × GOMAXPROCS.
	PhotoSlots, UploadSlots int
	// SlotWait is how long a request whose body is read waits for a slot before 503 BUSY;
	// 0 is DefaultSlotWait.
	SlotWait time.Duration
	// BodyReadTimeout bounds reading the body of an upload or a verification; 0 is
	// DefaultBodyReadTimeout.
	BodyReadTimeout time.Duration
	// MaxClients bounds the per-address limiter table; 0 is DefaultMaxClients.
	MaxClients int
	// BodyBudget bounds the bytes of multipart bodies held at once, per pool (photos,
	// materials), counted as they arrive: bodies are read before they take a slot, so this is
	// what bounds their memory; over it, 503 BUSY. 0 is DefaultBodyBudget.
	BodyBudget int64
	// PhotoShare is the share of the machine's CPUs anonymous photo decoding may use over
	// time, whatever the number of client addresses (a flood from many addresses passes every
	// per-address limit): each decoding's time is charged to a bucket refilled at PhotoShare ×
	// GOMAXPROCS seconds a second; while it is empty, photos get 503 BUSY with Retry-After.
	// 0 is no such budget.
	PhotoShare float64
	// TarpitDelay is how long the answer to a client over its rate is held (at most until its
	// bucket refills); 0 answers at once.
	TarpitDelay time.Duration
}

// Rate is a token bucket: PerSecond requests a second on average, bursts of Burst.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Network limit defaults: an inspector checks one certificate at a time, a few photos a
// second at most; payload checks (a scanner app) are cheap and may come faster.
const (
	DefaultSlotWait        = 2 * time.Second
	DefaultBodyReadTimeout = 30 * time.Second
	DefaultMaxClients      = 100_000
	DefaultBodyBudget      = 192 << 20
	// DefaultPhotoShare leaves portals over 70 % of their throughput under an anonymous photo
	// flood (BenchmarkPrecheckUnderFlood: 0.71–0.73 at 0.2 on 2 cores).
	DefaultPhotoShare = 0.2
	// DefaultTarpitDelay and DefaultTarpitHeld: see tarpit.
	DefaultTarpitDelay = time.Second
	DefaultTarpitHeld  = 4096
	clientIdle         = 10 * time.Minute
)

// DefaultLimits are serve's defaults: limits an inspector never meets.
func DefaultLimits() Limits {
	return Limits{
		Photo:       Rate{PerSecond: 1, Burst: 5},
		PhotoShare:  DefaultPhotoShare,
		TarpitDelay: DefaultTarpitDelay,
		Payload:     Rate{PerSecond: 50, Burst: 100},
		Web:         Rate{PerSecond: 20, Burst: 100},
	}
}

// ParseRate reads "R/B" (R requests a second, bursts of B), "R" (burst max(1, 2R)) or "off".
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" || s == "" {
		return Rate{}, nil
	}
	rs, bs, hasBurst := strings.Cut(s, "/")
	r, err := strconv.ParseFloat(rs, 64)
	if err != nil || r < 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		return Rate{}, fmt.Errorf("rate %q: want R/B (requests a second / burst), R or off", s)
	}
	b := max(1, int(math.Ceil(2*r)))
	if hasBurst {
		if b, err = strconv.Atoi(bs); err != nil || b < 1 {
			return Rate{}, fmt.Errorf("rate %q: the burst must be a whole number ≥ 1", s)
		}
	}
	return Rate{PerSecond: r, Burst: b}, nil
}

func (r Rate) String() string {
	if r.PerSecond <= 0 {
		return "off"
	}
	return strconv.FormatFloat(r.PerSecond, 'f', -1, 64) + "/" + strconv.Itoa(r.Burst)
}

// TrustedProxies decides the client address of a request behind reverse proxies: either the
// last Hops entries of X-Forwarded-For were added by proxies of ours, or the entries (and the
// connection's peer) within Nets are proxies of ours. Without either, X-Forwarded-For is
// ignored: anyone can send it.
type TrustedProxies struct {
	Hops int
	Nets []netip.Prefix
}

// ParseTrustedProxies reads a hop count ("1") or a comma-separated CIDR list
// ("10.0.0.0/8,192.168.1.7/32"); "" or "0" trusts none.
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return TrustedProxies{}, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 {
			return TrustedProxies{}, fmt.Errorf("trusted proxies %q: negative hop count", s)
		}
		return TrustedProxies{Hops: n}, nil
	}
	var t TrustedProxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return TrustedProxies{}, fmt.Errorf("trusted proxies: %q is neither a hop count nor a CIDR", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		t.Nets = append(t.Nets, p.Masked())
	}
	return t, nil
}

func (t TrustedProxies) trusts(a netip.Addr) bool {
	for _, p := range t.Nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address a request is limited by.
func (t TrustedProxies) clientAddr(r *http.Request) netip.Addr {
	peer := peerAddr(r.RemoteAddr)
	if t.Hops == 0 && len(t.Nets) == 0 {
		return peer
	}
	var chain []netip.Addr // X-Forwarded-For left to right, then the peer
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for _, f := range strings.Split(h, ",") {
			a, err := netip.ParseAddr(strings.TrimSpace(f))
			if err != nil {
				a = netip.Addr{} // unparseable: an address we cannot trust past
			}
			chain = append(chain, a.Unmap())
		}
	}
	chain = append(chain, peer)
	if t.Hops > 0 {
		// Each trusted proxy appended the address it was connected from.
		if a := chain[max(0, len(chain)-1-t.Hops)]; a.IsValid() {
			return a
		}
		return peer
	}
	// From our side outwards, the first address that is not one of our proxies.
	for i := len(chain) - 1; i > 0; i-- {
		if !chain[i].IsValid() || !t.trusts(chain[i]) {
			if chain[i].IsValid() {
				return chain[i]
			}
			if i+1 < len(chain) {
				return chain[i+1] // garbage from beyond our proxies: the nearest proxy is all we know
			}
			return peer
		}
	}
	if chain[0].IsValid() {
		return chain[0]
	}
	return chain[min(1, len(chain)-1)]
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// clientKey is the limiter key of an address: IPv6 clients are limited per /64, the block one
// subscriber gets.
func clientKey(a netip.Addr) netip.Addr {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

// keyedLimiter is one token bucket per client address, in a bounded table: idle entries are
// evicted, and a full table evicts arbitrary entries, so many addresses cannot grow it.
type keyedLimiter struct {
	rate    Rate
	max     int
	mu      sync.Mutex
	clients map[netip.Addr]*clientBucket
	swept   time.Time
}

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newKeyedLimiter(r Rate, maxClients int) *keyedLimiter {
	if r.PerSecond <= 0 {
		return nil
	}
	if maxClients <= 0 {
		maxClients = DefaultMaxClients
	}
	return &keyedLimiter{rate: r, max: maxClients, clients: map[netip.Addr]*clientBucket{}}
}

// reserve takes a token for key, or returns how long until one is there.
func (k *keyedLimiter) reserve(key netip.Addr, now time.Time) (time.Duration, bool) {
	k.mu.Lock()
	b := k.clients[key]
	if b == nil {
		if len(k.clients) >= k.max || now.Sub(k.swept) > clientIdle {
			k.sweep(now)
		}
		b = &clientBucket{lim: rate.NewLimiter(rate.Limit(k.rate.PerSecond), k.rate.Burst)}
		k.clients[key] = b
	}
	b.seen = now
	k.mu.Unlock()
	return take(b.lim, now)
}

// sweep drops idle buckets (an idle bucket is full again: dropping it changes nothing), then,
// if the table is still full, arbitrary ones down to 90 %.
func (k *keyedLimiter) sweep(now time.Time) {
	k.swept = now
	for a, b := range k.clients {
		if now.Sub(b.seen) > clientIdle {
			delete(k.clients, a)
		}
	}
	for a := range k.clients {
		if len(k.clients) < k.max*9/10 {
			break
		}
		delete(k.clients, a)
	}
}

func (k *keyedLimiter) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.clients)
}

// take takes one token, or returns the wait until one is there.
func take(lim *rate.Limiter, now time.Time) (time.Duration, bool) {
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Minute, false
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}

// retryError is an error answered with a Retry-After header.
type retryError struct {
	err   *service.Error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// setRetryAfter sets Retry-After (whole seconds, at least 1) when err carries one.
func setRetryAfter(w http.ResponseWriter, err error) {
	var re *retryError
	if errors.As(err, &re) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(re.after.Seconds())))))
	}
}

func rateLimited(after time.Duration) *retryError {
	return &retryError{after: after, err: service.NewError(service.CodeRateLimited, "",
		fmt.Sprintf("请求过于频繁，请 %d 秒后重试", max(1, int(math.Ceil(after.Seconds())))),
		fmt.Sprintf("too many requests; retry in %d s", max(1, int(math.Ceil(after.Seconds())))))}
}

// tarpit holds the answer to a client over its rate for up to delay before answering 429: a
// flooding client that waits for its answers floods at the pace of the delay instead of as fast
// as the server can refuse it (measured: refusing ~1,400 requests a second took a third of a
// 2-core machine). At most max answers are held at once; beyond, the answer is immediate, so
// the pit itself is bounded.
type tarpit struct {
	held  chan struct{}
	delay time.Duration
}

func newTarpit(max int, delay time.Duration) *tarpit {
	return &tarpit{held: make(chan struct{}, max), delay: delay}
}

func (p *tarpit) hold(ctx context.Context, wait time.Duration) {
	if p == nil || p.delay <= 0 {
		return
	}
	select {
	case p.held <- struct{}{}:
		defer func() { <-p.held }()
	default:
		return
	}
	t := time.NewTimer(min(wait, p.delay))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// limitByAddr answers 429 RATE_LIMITED, before reading the body, once a client address has
// used its bucket; pick chooses the bucket of a request (nil: not limited).
func limitByAddr(proxies TrustedProxies, pit *tarpit, pick func(*http.Request) *keyedLimiter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := pick(r); k != nil {
			if wait, ok := k.reserve(clientKey(proxies.clientAddr(r)), time.Now()); !ok {
				pit.hold(r.Context(), wait)
				if r.ContentLength < 0 || r.ContentLength > 64<<10 {
					// Not worth reading a large body to keep the connection: close it.
					w.Header().Set("Connection", "close")
				}
				e := rateLimited(wait)
				setRetryAfter(w, e)
				writeError(w, e.err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// slots bounds the image work in progress. A slot is taken after the request body is read (a
// slow client holds a connection, never a slot), waiting at most wait.
type slots struct {
	ch   chan struct{}
	wait time.Duration
	// work, when set, is a bucket of milliseconds of work: each run is charged its duration,
	// and no run starts while the bucket is empty.
	work *rate.Limiter
}

// withWorkShare makes the pool use at most share of the CPUs over time.
func (s *slots) withWorkShare(share float64, cpus int) *slots {
	if share > 0 {
		perSecond := share * float64(cpus) * 1000 // milliseconds of work a second
		s.work = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond*workBurstSeconds)))
	}
	return s
}

// workBurstSeconds lets a quiet service take a few photos at once at full speed.
const workBurstSeconds = 2

func newSlots(n int, wait time.Duration) *slots {
	return &slots{ch: make(chan struct{}, n), wait: wait}
}

var errBusy = &service.Error{Code: service.CodeBusy,
	MessageEN: "too many images are being processed; try again", Message: "图片处理请求过多，请稍后重试"}

func (s *slots) acquire(ctx context.Context) (func(), error) {
	if s.work != nil {
		// A run starts only when the bucket holds what a costly one takes (a second of work,
		// or half the bucket when it is smaller); the reply says when that is back.
		need := min(1000, float64(s.work.Burst())/2)
		if tokens := s.work.Tokens(); tokens < need {
			after := time.Duration((need - tokens) / float64(s.work.Limit()) * float64(time.Second))
			return nil, &retryError{err: errBusy, after: max(time.Second, after)}
		}
	}
	select {
	case s.ch <- struct{}{}:
		return s.release(time.Now()), nil
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.ch <- struct{}{}:
		return s.release(time.Now()), nil
	case <-t.C:
		return nil, &retryError{err: errBusy, after: time.Second}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// release frees the slot and charges the run's duration to the work bucket (which may go
// below empty: the next runs wait until it has refilled).
func (s *slots) release(start time.Time) func() {
	return func() {
		<-s.ch
		if s.work != nil {
			// Charged whole, in pieces no larger than the bucket (a reservation cannot exceed
			// it): a run longer than the bucket leaves it that much below empty.
			now := time.Now()
			for ms := max(int(time.Since(start)/time.Millisecond), 1); ms > 0; ms -= s.work.Burst() {
				s.work.ReserveN(now, min(ms, s.work.Burst()))
			}
		}
	}
}

// withSlot runs ep holding a slot when needs(request) says the request is image work. As a
// go-kit endpoint middleware it runs after the decoder: the body is already read.
func withSlot(s *slots, needs func(any) bool, ep func(context.Context, any) (any, error)) func(context.Context, any) (any, error) {
	return func(ctx context.Context, req any) (any, error) {
		if needs != nil && !needs(req) {
			return ep(ctx, req)
		}
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		return ep(ctx, req)
	}
}

// bodyDeadline gives the request body its own read deadline, so the server's whole-request
// timeout is not what bounds a trickling upload.
func bodyDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
		next.ServeHTTP(w, r)
	})
}

// bodyBudget counts the bytes of the bodies being held by one pool's requests.
type bodyBudget struct {
	used atomic.Int64
	max  int64
}

var errOverBudget = errors.New("transport: body budget exhausted")

// hold counts a multipart body's bytes against the budget as they are read, until the request
// ends: a trickling client holds only the bytes it has sent.
func (b *bodyBudget) hold(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isMultipart(r) {
			next.ServeHTTP(w, r)
			return
		}
		br := &budgetReader{ReadCloser: r.Body, b: b}
		r.Body = br
		defer func() { b.used.Add(-br.n) }()
		next.ServeHTTP(w, r)
	})
}

type budgetReader struct {
	io.ReadCloser
	b *bodyBudget
	n int64
}

func (br *budgetReader) Read(p []byte) (int, error) {
	n, err := br.ReadCloser.Read(p)
	if n > 0 {
		br.n += int64(n)
		if br.b.used.Add(int64(n)) > br.b.max {
			return n, errOverBudget
		}
	}
	return n, err
}

// isMultipart tells a photo verification from a payload one, before its body is read.
func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type"))), "multipart/form-data")
}
