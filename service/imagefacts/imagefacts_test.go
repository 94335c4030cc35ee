package imagefacts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/gif"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

func analyze(t testing.TB, a *Analyzer, data []byte, opt Options) Facts {
	t.Helper()
	f, err := a.Analyze(context.Background(), bytes.NewReader(data), opt)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return f
}

func TestBackground(t *testing.T) {
	a := NewAnalyzer(Limits{})
	tests := []struct {
		name string
		img  image.Image
		want string
	}{
		{"white", idPhoto(idWhite, false), "white"},
		{"blue", idPhoto(idBlue, false), "blue"},
		{"red", idPhoto(idRed, false), "red"},
		{"white head at top", idPhoto(idWhite, true), "white"},
		{"blue head at top", idPhoto(idBlue, true), "blue"},
		{"red head at top", idPhoto(idRed, true), "red"},
		{"off-white", idPhoto(color.RGBA{238, 236, 230, 255}, false), "white"},
		{"dark blue", idPhoto(color.RGBA{20, 50, 140, 255}, false), "blue"},
		{"grey", idPhoto(grey, false), "other"},
		{"light grey", idPhoto(color.RGBA{185, 185, 185, 255}, false), "other"},
		{"green", idPhoto(green, false), "other"},
		{"pink", idPhoto(color.RGBA{255, 190, 200, 255}, false), "other"},
		{"gradient", gradientPhoto(), "other"},
		{"noise", noisyPhoto(), "other"},
		{"room", roomPhoto(), "other"},
	}
	for _, tt := range tests {
		for _, enc := range []struct {
			name string
			data func() []byte
		}{
			{"png", func() []byte { return imagegatetest.EncodePNG(t, tt.img) }},
			{"jpeg75", func() []byte { return imagegatetest.EncodeJPEG(t, tt.img, 75) }},
		} {
			t.Run(tt.name+"/"+enc.name, func(t *testing.T) {
				f := analyze(t, a, enc.data(), Options{Background: true})
				if !f.Readable || f.Width != 413 || f.Height != 579 {
					t.Fatalf("facts = %+v, want readable 413×579", f)
				}
				if f.Background != tt.want {
					t.Errorf("background = %q, want %q", f.Background, tt.want)
				}
			})
		}
	}
}

func TestBackgroundOnlyWhenAsked(t *testing.T) {
	a := NewAnalyzer(Limits{})
	if f := analyze(t, a, imagegatetest.EncodePNG(t, idPhoto(idBlue, false)), Options{}); f.Background != "" {
		t.Errorf("background = %q without Options.Background", f.Background)
	}
	if f := analyze(t, a, []byte("GIF89a"), Options{Background: true}); f.Background != "" {
		t.Errorf("background = %q for unreadable input", f.Background)
	}
}

// A transparent background is judged as it is displayed: over white.
func TestBackgroundTransparent(t *testing.T) {
	src := idPhoto(idBlue, false)
	img := image.NewNRGBA(src.Bounds())
	draw.Draw(img, img.Bounds(), src, image.Point{}, draw.Src)
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] == idBlue.R && img.Pix[i+1] == idBlue.G && img.Pix[i+2] == idBlue.B {
			img.Pix[i+3] = 0
		}
	}
	f := analyze(t, NewAnalyzer(Limits{}), imagegatetest.EncodePNG(t, img), Options{Background: true})
	if f.Background != "white" {
		t.Errorf("background = %q, want white", f.Background)
	}
}

// A landscape life photo is measured like any other: the policy rejects its proportions.
func TestLifePhoto(t *testing.T) {
	data := imagegatetest.EncodeJPEG(t, lifePhoto(1600, 1200), 85)
	f := analyze(t, NewAnalyzer(Limits{}), data, Options{Background: true})
	if f.Format != "jpeg" || !f.Readable || f.Width != 1600 || f.Height != 1200 || f.Sharpness == nil {
		t.Fatalf("facts = %+v", f)
	}
	// Its background may well pass for plain (a blue sky): the background measure is not a
	// life-photo detector, the proportions are.
	t.Logf("background %q, sharpness %.1f", f.Background, *f.Sharpness)
}

const policyMinSharpness = 100 // policies/data/limits.json min_sharpness

func TestSharpness(t *testing.T) {
	page := documentPage(1600, 1000)
	blurred := gaussianBlur(page, 3.5)
	a := NewAnalyzer(Limits{})
	sharp := func(t *testing.T, data []byte) float64 {
		t.Helper()
		f := analyze(t, a, data, Options{})
		if !f.Readable || f.Sharpness == nil {
			t.Fatalf("facts = %+v", f)
		}
		return *f.Sharpness
	}
	for _, enc := range []struct {
		name string
		data func(image.Image) []byte
	}{
		{"png", func(img image.Image) []byte { return imagegatetest.EncodePNG(t, img) }},
		{"jpeg90", func(img image.Image) []byte { return imagegatetest.EncodeJPEG(t, img, 90) }},
	} {
		t.Run(enc.name, func(t *testing.T) {
			s, b := sharp(t, enc.data(page)), sharp(t, enc.data(blurred))
			t.Logf("sharpness: sharp page %.1f, blurred page (σ=3.5 px) %.1f", s, b)
			// Margins: a factor of 3 on each side of the policy threshold.
			if s < 3*policyMinSharpness {
				t.Errorf("sharp page = %.1f, want ≥ %d", s, 3*policyMinSharpness)
			}
			if b > policyMinSharpness/3 {
				t.Errorf("blurred page = %.1f, want ≤ %d", b, policyMinSharpness/3)
			}
		})
	}
}

// A flat image has no edges at all; the measure is 0 up to float rounding in the resampler
// (not NaN, not negative).
func TestSharpnessFlat(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {2, 5}, {3, 3}, {1500, 40}} {
		img := image.NewRGBA(image.Rectangle{Max: size})
		fill(img, grey)
		f := analyze(t, NewAnalyzer(Limits{}), imagegatetest.EncodePNG(t, img), Options{Background: true})
		if !f.Readable || f.Sharpness == nil || *f.Sharpness < 0 || *f.Sharpness > 1e-6 {
			t.Fatalf("%v: facts = %+v", size, f)
		}
		if *f.Sharpness != 0 {
			t.Logf("%v: %g", size, *f.Sharpness)
		}
	}
}

func TestFormats(t *testing.T) {
	var gifBuf bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 30, 20), palette.Plan9)
	if err := gif.Encode(&gifBuf, pal, nil); err != nil {
		t.Fatal(err)
	}
	gifData := gifBuf.Bytes()
	var photoGIF bytes.Buffer // a real photo saved as GIF: readable, but not measured
	if err := gif.Encode(&photoGIF, idPhoto(idBlue, false), nil); err != nil {
		t.Fatal(err)
	}
	bmp := append([]byte("BM"), make([]byte, 52)...)
	bmp[14] = 40 // BITMAPINFOHEADER
	jpg := imagegatetest.EncodeJPEG(t, lifePhoto(320, 240), 85)
	pngData := imagegatetest.EncodePNG(t, idPhoto(idWhite, false))

	tests := []struct {
		name     string
		data     []byte
		format   string
		readable bool
		w, h     int
	}{
		{"png", pngData, "png", true, 413, 579},
		{"jpeg", jpg, "jpeg", true, 320, 240},
		{"gif named .jpg", gifData, "gif", true, 30, 20},
		{"gif photo", photoGIF.Bytes(), "gif", true, 413, 579},
		{"truncated gif", gifData[:len(gifData)-8], "gif", false, 30, 20},
		{"gif magic only", []byte("GIF89a"), "gif", false, 0, 0},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), "webp", false, 0, 0},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "pdf", false, 0, 0},
		{"pdf with preamble", []byte("garbage\r\n%PDF-1.4\n"), "pdf", false, 0, 0},
		{"bmp", bmp, "bmp", false, 0, 0},
		{"tiff little-endian", []byte("II*\x00\x08\x00\x00\x00"), "tiff", false, 0, 0},
		{"tiff big-endian", []byte("MM\x00*\x00\x00\x00\x08"), "tiff", false, 0, 0},
		{"empty", nil, "unknown", false, 0, 0},
		{"text starting BM", []byte("BMW 320i, vehicle licence attached"), "unknown", false, 0, 0},
		{"html", []byte("<!doctype html><html><body>hi</body></html>"), "unknown", false, 0, 0},
		{"png magic only", []byte("\x89PNG\r\n\x1a\n"), "png", false, 0, 0},
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF}, "jpeg", false, 0, 0},
		{"truncated jpeg", jpg[:len(jpg)/2], "jpeg", false, 320, 240},
		{"corrupt png", corruptIDAT(t, pngData), "png", false, 413, 579},
	}
	a := NewAnalyzer(Limits{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := analyze(t, a, tt.data, Options{Background: true})
			sum := sha256.Sum256(tt.data)
			if f.Format != tt.format || f.Readable != tt.readable || f.Width != tt.w || f.Height != tt.h {
				t.Errorf("facts = %+v, want %s readable=%v %d×%d", f, tt.format, tt.readable, tt.w, tt.h)
			}
			if f.SizeBytes != int64(len(tt.data)) || f.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("size %d sha %s, want %d %x", f.SizeBytes, f.SHA256, len(tt.data), sum)
			}
			measured := tt.readable && (tt.format == "png" || tt.format == "jpeg")
			if !measured && (f.Sharpness != nil || f.Background != "") {
				t.Errorf("measures of an unreadable or non-PNG/JPEG file: %+v", f)
			}
			if measured && (f.Sharpness == nil || f.Background == "") {
				t.Errorf("readable %s without measures: %+v", tt.format, f)
			}
		})
	}
}

func TestTooManyPixels(t *testing.T) {
	data := hugePNG(30000, 30000)
	a := NewAnalyzer(Limits{})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := a.Analyze(context.Background(), bytes.NewReader(data), Options{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("err = %v, want ErrTooManyPixels", err)
	}
	// 30000² RGBA would be 3.6 GB; the check must come before any pixel buffer.
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("allocated %d bytes for a rejected header", d)
	}
	// Just under the limit is decoded (and found truncated, which is only a fact).
	a = NewAnalyzer(Limits{MaxPixels: 100 * 100})
	f, err := a.Analyze(context.Background(), bytes.NewReader(hugePNG(100, 100)), Options{})
	if err != nil || f.Readable || f.Width != 100 || f.Height != 100 {
		t.Errorf("100×100 at the limit: %+v, %v", f, err)
	}
	if _, err := a.Analyze(context.Background(), bytes.NewReader(hugePNG(100, 101)), Options{}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("100×101 over the limit: err = %v", err)
	}
	// The cap applies to JPEG and GIF headers too (both are decoded).
	jpg := imagegatetest.EncodeJPEG(t, lifePhoto(200, 100), 80)
	if _, err := a.Analyze(context.Background(), bytes.NewReader(jpg), Options{}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("jpeg over the limit: err = %v", err)
	}
	var g bytes.Buffer
	if err := gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 200, 100), palette.Plan9), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Analyze(context.Background(), bytes.NewReader(g.Bytes()), Options{}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("gif over the limit: err = %v", err)
	}
}

// Files too short to hold their declared pixels are unreadable without being decoded: the
// decoders would allocate the whole image first (hundreds of MB for a few bytes).
func TestTooSmallForPixels(t *testing.T) {
	a := NewAnalyzer(Limits{})
	for _, tt := range []struct {
		name   string
		data   []byte
		format string
		w, h   int
	}{
		{"progressive jpeg", tinyProgressiveJPEG(6000, 6000), "jpeg", 6000, 6000},
		{"png", hugePNG(6000, 6000), "png", 6000, 6000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			f := analyze(t, a, tt.data, Options{Background: true})
			runtime.ReadMemStats(&after)
			if f.Format != tt.format || f.Readable || f.Width != tt.w || f.Height != tt.h {
				t.Errorf("facts = %+v", f)
			}
			if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
				t.Errorf("allocated %d bytes for %d bytes of input", d, len(tt.data))
			}
		})
	}
	// The bound is loose enough for real files: flat images compress best.
	for _, img := range []image.Image{image.NewGray(image.Rect(0, 0, 3000, 2000)), image.NewRGBA(image.Rect(0, 0, 2000, 2000))} {
		for _, data := range [][]byte{imagegatetest.EncodePNG(t, img), imagegatetest.EncodeJPEG(t, img, 50)} {
			if f := analyze(t, a, data, Options{}); !f.Readable {
				t.Errorf("flat %T (%d bytes): %+v", img, len(data), f)
			}
		}
	}
}

// countingReader is an endless stream of 'A' that counts what was read from it.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'A'
	}
	r.n += int64(len(p))
	return len(p), nil
}

func TestMaxBytes(t *testing.T) {
	const limit = 4096
	a := NewAnalyzer(Limits{MaxBytes: limit})
	body := bytes.Repeat([]byte{'x'}, limit+1)

	f, err := a.Analyze(context.Background(), bytes.NewReader(body[:limit]), Options{})
	if err != nil || f.SizeBytes != limit || f.Format != "unknown" {
		t.Errorf("exactly MaxBytes: %+v, %v", f, err)
	}
	if _, err := a.Analyze(context.Background(), bytes.NewReader(body), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxBytes+1: err = %v, want ErrTooLarge", err)
	}
	// Readers without Len (a network body) take the same path.
	if _, err := a.Analyze(context.Background(), iotest.OneByteReader(bytes.NewReader(body)), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxBytes+1, one byte at a time: err = %v", err)
	}
	f, err = a.Analyze(context.Background(), iotest.HalfReader(bytes.NewReader(body[:limit])), Options{})
	if err != nil || f.SizeBytes != limit {
		t.Errorf("exactly MaxBytes, half reads: %+v, %v", f, err)
	}
	// An endless body is read no further than MaxBytes+1.
	cr := &countingReader{}
	if _, err := a.Analyze(context.Background(), cr, Options{}); !errors.Is(err, ErrTooLarge) || cr.n != limit+1 {
		t.Errorf("endless body: err = %v after %d bytes, want ErrTooLarge after %d", err, cr.n, limit+1)
	}
}

func TestDefaults(t *testing.T) {
	a := NewAnalyzer(Limits{})
	if a.maxBytes != 32<<20 || a.maxPixels != 40_000_000 || cap(a.sem) != runtime.NumCPU() {
		t.Errorf("defaults: %d bytes, %d pixels, %d slots", a.maxBytes, a.maxPixels, cap(a.sem))
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(bytes.NewReader([]byte("\x89PNG")), iotest.ErrReader(boom))
	if _, err := NewAnalyzer(Limits{}).Analyze(context.Background(), r, Options{}); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the reader's error", err)
	}
}

func TestConcurrencySlot(t *testing.T) {
	a := NewAnalyzer(Limits{MaxConcurrent: 1})
	a.sem <- struct{}{} // another analysis holds the only slot

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := a.Analyze(ctx, bytes.NewReader([]byte("x")), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting: err = %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := a.Analyze(ctx, bytes.NewReader([]byte("x")), Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline while waiting: err = %v", err)
	}

	<-a.sem // the slot is released: analyses run again, and give it back
	for range 3 {
		if _, err := a.Analyze(context.Background(), bytes.NewReader([]byte("x")), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	// A request cancelled before it starts does no work, even with a free slot.
	if _, err := a.Analyze(ctx, bytes.NewReader([]byte("x")), Options{}); err == nil {
		t.Error("expired context: no error")
	}
}

// Concurrent analyses of the same bytes agree (run with -race to check the sharing).
func TestConcurrentUse(t *testing.T) {
	a := NewAnalyzer(Limits{MaxConcurrent: 2})
	data := imagegatetest.EncodeJPEG(t, idPhoto(idRed, false), 80)
	want := analyze(t, a, data, Options{Background: true})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			f, err := a.Analyze(context.Background(), bytes.NewReader(data), Options{Background: true})
			if err != nil || f.Background != want.Background || *f.Sharpness != *want.Sharpness {
				t.Errorf("concurrent: %+v, %v; want %+v", f, err, want)
			}
		})
	}
	wg.Wait()
}

// The per-type fast paths agree with each other and with the generic At path.
func TestPixelTypesAgree(t *testing.T) {
	gray := documentPage(1300, 700) // > 1024: exercises the resampler too
	b := gray.Bounds()
	rgba := image.NewRGBA(b)
	nrgba := image.NewNRGBA(b)
	rgba64 := image.NewRGBA64(b)
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	pal := image.NewPaletted(b, color.Palette{})
	for i := range 256 {
		pal.Palette = append(pal.Palette, color.Gray{uint8(i)})
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			v := gray.GrayAt(x, y).Y
			c := color.RGBA{v, v, v, 255}
			rgba.SetRGBA(x, y, c)
			nrgba.SetNRGBA(x, y, color.NRGBA(c))
			rgba64.Set(x, y, c)
			ycc.Y[ycc.YOffset(x, y)] = v
			pal.SetColorIndex(x, y, v)
		}
	}
	imgs := map[string]image.Image{
		"Gray": gray, "RGBA": rgba, "NRGBA": nrgba, "RGBA64": rgba64, "YCbCr": ycc,
		"Paletted": pal, "At only": atOnly{rgba},
	}
	want := measure(gray, true)
	for name, img := range imgs {
		got := measure(img, true)
		if math.Abs(got.sharpness-want.sharpness) > 1e-3*want.sharpness || got.background != want.background {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
}

// atOnly hides the concrete type, forcing the generic path.
type atOnly struct{ img image.Image }

func (a atOnly) ColorModel() color.Model { return a.img.ColorModel() }
func (a atOnly) Bounds() image.Rectangle { return a.img.Bounds() }
func (a atOnly) At(x, y int) color.Color { return a.img.At(x, y) }

func TestAxisWeights(t *testing.T) {
	for _, nm := range [][2]int{{1, 1}, {5, 5}, {3, 2}, {1600, 1024}, {4000, 1024}, {3000, 768}, {1025, 1024}, {7, 3}} {
		n, m := nm[0], nm[1]
		ax := newAxis(n, m)
		got := make([]float64, m+1)
		for i := range n {
			got[ax.dst[i]] += float64(ax.wa[i])
			got[ax.dst[i]+1] += float64(ax.wb[i])
		}
		for d := range m {
			if math.Abs(got[d]-1) > 1e-5 {
				t.Errorf("%d→%d: weights into %d sum to %v", n, m, d, got[d])
			}
		}
		if got[m] != 0 {
			t.Errorf("%d→%d: weight %v past the end", n, m, got[m])
		}
	}
}

func TestDownscaleSize(t *testing.T) {
	for _, tt := range []struct{ w, h, ow, oh int }{
		{4000, 3000, 1024, 768}, {3000, 4000, 768, 1024}, {1025, 10, 1024, 10},
		{1024, 1024, 1024, 1024}, {413, 579, 413, 579}, {5000, 2, 1024, 1},
	} {
		th := downscale(image.NewGray(image.Rect(0, 0, tt.w, tt.h)), false)
		if th.w != tt.ow || th.h != tt.oh {
			t.Errorf("%d×%d → %d×%d, want %d×%d", tt.w, tt.h, th.w, th.h, tt.ow, tt.oh)
		}
	}
}

// The colour planes are resampled from the border columns only; at every sampled pixel they
// must equal a full resample of the channel.
func TestColourPlanesAtSamples(t *testing.T) {
	for _, size := range []image.Point{{1500, 1100}, {413, 579}, {1031, 2000}, {2000, 7}, {5, 3000}} {
		img := image.NewNRGBA(image.Rectangle{Max: size})
		rng := rand.New(rand.NewPCG(uint64(size.X), uint64(size.Y)))
		red := image.NewGray(img.Bounds())
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(rng.IntN(256)), 0, 0, 255
			red.Pix[i/4] = img.Pix[i]
		}
		got, want := downscale(img, true), downscale(red, false)
		side, sideRows, corner, cornerRows := bgGeometry(got.w, got.h)
		for y := 0; y < min(got.h, max(sideRows, cornerRows)); y++ {
			for x := 0; x < got.w; x++ {
				in := (y < sideRows && (x < side || x >= got.w-side)) || (y < cornerRows && (x < corner || x >= got.w-corner))
				i := y*got.w + x
				if in && math.Abs(float64(got.r[i]-want.gray[i])) > 1e-3 {
					t.Fatalf("%v: red at (%d,%d) = %v, full resample %v", size, x, y, got.r[i], want.gray[i])
				}
			}
		}
	}
}

// The bombs of issue 13 against uploads: each is refused before the decoder runs.
func TestBombs(t *testing.T) {
	a := NewAnalyzer(Limits{})
	// (b) a 300-scan progressive JPEG (21 s of CPU before the gate): stored as unreadable.
	f := analyze(t, a, imagegatetest.PadJPEG(imagegatetest.ProgressiveBomb(4000, 3000, 300, false), 90_000), Options{})
	if f.Format != "jpeg" || f.Readable || f.Width != 4000 || f.Height != 3000 {
		t.Errorf("300 scans: %+v", f)
	}
	// The same with a junk byte hiding the scans from a naive counter.
	f = analyze(t, a, imagegatetest.ProgressiveBomb(4000, 3000, 2000, true), Options{})
	if f.Readable {
		t.Errorf("junk byte, 2000 scans: %+v", f)
	}
	// (d) under the 40 MP pixel cap, over the memory cap: 413 like too many pixels.
	for name, data := range map[string][]byte{
		"16-bit 6000×6000 PNG":     imagegatetest.PNG16(6000, 6000),
		"40 MP progressive header": imagegatetest.ProgressiveHeader(7300, 5470, 700_000),
	} {
		if _, err := a.Analyze(context.Background(), bytes.NewReader(data), Options{}); !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A progressive JPEG within the scan cap is measured.
	f = analyze(t, a, imagegatetest.ProgressiveBomb(64, 48, 10, true), Options{})
	if !f.Readable || f.Sharpness == nil {
		t.Errorf("10-scan progressive: %+v", f)
	}
}
