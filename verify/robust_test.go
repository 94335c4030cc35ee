package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/cryptotest"
	"time"
)

const (
	testPhotos  = 30  // TestDecodeDegradedPhotos
	benchPhotos = 100 // BenchmarkDecodePhotos, TestCompareZBar
	minRate     = 0.90
)

var sharedFixture struct {
	sync.Mutex
	f *fixture
}

// getFixture issues the certificate once per test binary. Called from a test, the key comes
// from a seeded crypto/rand, so the QR code's bits are the same on every run; a benchmark run
// alone (-run '^$') gets a random key: same degradations, different payload bits.
func getFixture(tb testing.TB) *fixture {
	tb.Helper()
	sharedFixture.Lock()
	defer sharedFixture.Unlock()
	if sharedFixture.f == nil {
		if t, ok := tb.(*testing.T); ok {
			cryptotest.SetGlobalRandom(t, photoSeed)
		}
		sharedFixture.f = newFixture(tb, tb.TempDir())
	}
	return sharedFixture.f
}

// outcome of decoding one photo.
type outcome struct {
	ok  bool
	dur time.Duration
	err error
}

func decodeAll(tb testing.TB, d *Decoder, f *fixture, set []*photo) []outcome {
	tb.Helper()
	out := make([]outcome, len(set))
	for i, p := range set {
		start := time.Now()
		text, err := d.Decode(context.Background(), bytes.NewReader(p.jpeg))
		out[i] = outcome{ok: err == nil && text == f.payload, dur: time.Since(start), err: err}
		if err != nil && !errors.Is(err, ErrNoQR) {
			tb.Fatalf("photo %d: %v", i, err)
		}
	}
	return out
}

func summarize(out []outcome) (rate float64, median time.Duration) {
	n := 0
	durs := make([]time.Duration, len(out))
	for i, o := range out {
		if o.ok {
			n++
		}
		durs[i] = o.dur
	}
	slices.Sort(durs)
	return float64(n) / float64(len(out)), durs[len(durs)/2]
}

// TestDecodeDegradedPhotos measures the decode rate on the first 30 degraded photos and fails
// under 90 %. Timing is reported, not asserted (the machine may be busy with other tests).
func TestDecodeDegradedPhotos(t *testing.T) {
	f := getFixture(t)
	set := photos(t, f, testPhotos)
	if dir := os.Getenv("ROADCHECK_PHOTO_DIR"); dir != "" {
		writePhotos(t, dir, set)
	}
	d := NewDecoder(Limits{})
	out := decodeAll(t, d, f, set)
	for i, o := range out {
		if !o.ok {
			t.Logf("photo %d not decoded (%v, %v): %s", i, o.err, o.dur.Round(time.Millisecond), set[i].params)
		} else if testing.Verbose() {
			t.Logf("photo %d decoded in %v: %s", i, o.dur.Round(time.Millisecond), set[i].params)
		}
	}
	rate, median := summarize(out)
	t.Logf("decoded %.0f %% of %d photos, median %v per photo", 100*rate, len(set), median.Round(time.Millisecond))
	if rate < minRate {
		t.Errorf("decode rate %.0f %%, want ≥ %.0f %%", 100*rate, 100*minRate)
	}
	// Where ZBar is installed (CI installs zbar-tools), hold the other half of the target too:
	// no fewer photos than ZBar reads.
	if zbar, err := exec.LookPath("zbarimg"); err == nil {
		theirs := zbarAll(zbar, f, writePhotos(t, t.TempDir(), set))
		zrate, zmedian := summarize(theirs)
		t.Logf("zbarimg decoded %.0f %%, median %v per photo", 100*zrate, zmedian.Round(time.Millisecond))
		if rate < zrate {
			t.Errorf("verify decodes fewer photos than ZBar (%.0f %% < %.0f %%)", 100*rate, 100*zrate)
		}
	}
}

func writePhotos(tb testing.TB, dir string, set []*photo) []string {
	tb.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	names := make([]string, len(set))
	for i, p := range set {
		names[i] = filepath.Join(dir, fmt.Sprintf("photo%03d.jpg", i))
		if err := os.WriteFile(names[i], p.jpeg, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return names
}

// BenchmarkDecodePhotos decodes the 100-photo set once per iteration and reports the decode
// rate and the median time per photo (one photo at a time, as a single request sees it).
//
//	go test ./verify/ -run '^$' -bench DecodePhotos -benchtime 1x
func BenchmarkDecodePhotos(b *testing.B) {
	f := getFixture(b)
	set := photos(b, f, benchPhotos)
	d := NewDecoder(Limits{})
	var rate float64
	var median time.Duration
	for b.Loop() {
		rate, median = summarize(decodeAll(b, d, f, set))
	}
	b.ReportMetric(100*rate, "decoded-%")
	b.ReportMetric(float64(median.Microseconds())/1000, "median-ms/photo")
}

// BenchmarkZBarPhotos runs zbarimg (Debian zbar-tools) on the same 100 photos and reports
// the same two metrics, so `make bench` prints both decoders side by side. ZBar's time
// includes starting the process and loading the file, as an inspector's tool built on it
// would pay.
//
//	go test ./verify/ -run '^$' -bench 'DecodePhotos|ZBarPhotos' -benchtime 1x
func BenchmarkZBarPhotos(b *testing.B) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		b.Skip("zbarimg not on PATH (apt-get install zbar-tools)")
	}
	f := getFixture(b)
	set := photos(b, f, benchPhotos)
	names := writePhotos(b, b.TempDir(), set)
	var rate float64
	var median time.Duration
	for b.Loop() {
		rate, median = summarize(zbarAll(zbar, f, names))
	}
	b.ReportMetric(100*rate, "decoded-%")
	b.ReportMetric(float64(median.Microseconds())/1000, "median-ms/photo")
}

func zbarAll(zbar string, f *fixture, names []string) []outcome {
	out := make([]outcome, len(names))
	for i, name := range names {
		start := time.Now()
		text, _ := exec.Command(zbar, "--raw", "-q", name).Output() // exit 4: nothing found
		out[i] = outcome{ok: strings.TrimRight(string(text), "\n") == f.payload, dur: time.Since(start)}
	}
	return out
}

// TestCompareZBar runs zbarimg (Debian zbar-tools) and this package on the same 100 photos and
// prints both decode rates and median times. It is slow (about a minute), so it runs only with
// ROADCHECK_ZBAR=1:
//
//	ROADCHECK_ZBAR=1 go test ./verify/ -run CompareZBar -v
func TestCompareZBar(t *testing.T) {
	if os.Getenv("ROADCHECK_ZBAR") != "1" {
		t.Skip("set ROADCHECK_ZBAR=1 to compare with zbarimg")
	}
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not on PATH (apt-get install zbar-tools)")
	}
	f := getFixture(t)
	set := photos(t, f, benchPhotos)
	names := writePhotos(t, t.TempDir(), set)

	ours := decodeAll(t, NewDecoder(Limits{}), f, set)
	theirs := zbarAll(zbar, f, names)
	var onlyOurs, onlyZBar []int
	for i := range set {
		switch {
		case ours[i].ok && !theirs[i].ok:
			onlyOurs = append(onlyOurs, i)
		case !ours[i].ok && theirs[i].ok:
			onlyZBar = append(onlyZBar, i)
		}
	}
	for _, i := range onlyZBar {
		t.Logf("only ZBar decoded photo %d: %s", i, set[i].params)
	}
	r1, m1 := summarize(ours)
	r2, m2 := summarize(theirs)
	t.Logf("roadcheck/verify: %.0f %% decoded, median %v per photo", 100*r1, m1.Round(time.Millisecond))
	t.Logf("zbarimg:          %.0f %% decoded, median %v per photo (process start and image load included)", 100*r2, m2.Round(time.Millisecond))
	t.Logf("decoded only by verify: %v; only by ZBar: %v", onlyOurs, onlyZBar)
	if r1 < r2 {
		t.Errorf("verify decodes fewer photos than ZBar (%.0f %% < %.0f %%)", 100*r1, 100*r2)
	}
}
