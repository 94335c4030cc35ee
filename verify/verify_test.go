package verify

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/render"
	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

// qrPNG is a plain QR code of text (any content, any version) as PNG.
func qrPNG(t testing.TB, text string) []byte {
	t.Helper()
	b, err := qrcode.Encode(text, qrcode.Medium, 400)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// payloadImage is the certificate QR code of payload, black on white, 6 px per module.
func payloadImage(t testing.TB, payload string) *image.Gray {
	t.Helper()
	q, err := render.EncodeQR(payload)
	if err != nil {
		t.Fatal(err)
	}
	return q.Image(6)
}

func verifyBytes(t *testing.T, d *Decoder, f *fixture, data []byte, revoked func(string) bool) certs.Result {
	t.Helper()
	res, err := d.Verify(context.Background(), bytes.NewReader(data), f.tl, testNow, revoked)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestVerifyStatuses(t *testing.T) {
	f := getFixture(t)
	d := NewDecoder(Limits{})
	photo := photos(t, f, 2)[1] // a 2 MP photo that decodes (TestDecodeDegradedPhotos)

	// A desk with noise and shapes but no code.
	rng := rand.New(rand.NewPCG(1, 2))
	blank := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	for i := range blank.Pix {
		blank.Pix[i] = uint8(100 + rng.IntN(60))
	}
	for range 40 {
		x, y := rng.IntN(1500), rng.IntN(1100)
		r := image.Rect(x, y, x+rng.IntN(100), y+rng.IntN(100))
		c := uint8(rng.IntN(256))
		for py := r.Min.Y; py < r.Max.Y; py++ {
			for px := r.Min.X; px < r.Max.X; px++ {
				blank.Set(px, py, color.Gray{c})
			}
		}
	}

	// One character of the Base45 part changed to another character of the alphabet.
	tampered := []byte(f.payload)
	i := len(tampered) - 20
	tampered[i] = map[bool]byte{true: 'B', false: 'A'}[tampered[i] == 'A']

	tests := []struct {
		name    string
		data    []byte
		revoked func(string) bool
		want    []string
	}{
		{"photo", photo.jpeg, nil, []string{certs.StatusValid}},
		{"revoked", photo.jpeg, func(string) bool { return true }, []string{certs.StatusRevoked}},
		{"clean code", imagegatetest.EncodePNG(t, payloadImage(t, f.payload)), nil, []string{certs.StatusValid}},
		{"no code", imagegatetest.EncodeJPEG(t, blank, 80), nil, []string{certs.StatusNoQRFound}},
		{"other code", qrPNG(t, "HELLO"), nil, []string{certs.StatusMalformed}},
		{"other version", qrPNG(t, "RC2:6BFOXN*TS0BI$ZDFRH"), nil, []string{certs.StatusUnsupportedVersion}},
		{"one character changed", imagegatetest.EncodePNG(t, payloadImage(t, string(tampered))), nil,
			[]string{certs.StatusInvalidSignature, certs.StatusMalformed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := verifyBytes(t, d, f, tt.data, tt.revoked)
			found := false
			for _, w := range tt.want {
				found = found || res.Status == w
			}
			if !found {
				t.Errorf("status %q (%s), want one of %q", res.Status, res.Detail, tt.want)
			}
			if res.Status == certs.StatusValid && (res.Certificate == nil || res.Certificate.Grade != "AAA") {
				t.Errorf("valid result without the certificate: %+v", res)
			}
		})
	}
}

// TestDecodeVariants: light-on-dark and mirrored codes are found by the later passes.
func TestDecodeVariants(t *testing.T) {
	f := getFixture(t)
	d := NewDecoder(Limits{})
	g := payloadImage(t, f.payload)
	inv := image.NewGray(g.Bounds())
	mir := image.NewGray(g.Bounds())
	w := g.Bounds().Dx()
	for y := range g.Bounds().Dy() {
		for x := range w {
			v := g.Pix[y*g.Stride+x]
			inv.Pix[y*inv.Stride+x] = 255 - v
			mir.Pix[y*mir.Stride+w-1-x] = v
		}
	}
	// Dark modules on a transparent background (a PNG export): transparent counts as paper.
	transp := image.NewNRGBA(g.Bounds())
	for y := range g.Bounds().Dy() {
		for x := range w {
			if g.Pix[y*g.Stride+x] < 128 {
				transp.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 255})
			}
		}
	}
	for name, img := range map[string]image.Image{"inverted": inv, "mirrored": mir, "transparent": transp} {
		text, err := d.Decode(context.Background(), bytes.NewReader(imagegatetest.EncodePNG(t, img)))
		if err != nil || text != f.payload {
			t.Errorf("%s: %q, %v", name, text, err)
		}
	}
}

// TestConcurrentDecodes shares one decoder (and its semaphore) between goroutines, as the
// HTTP handlers do; run with -race.
func TestConcurrentDecodes(t *testing.T) {
	f := getFixture(t)
	photo := photos(t, f, 2)[1].jpeg
	d := NewDecoder(Limits{MaxConcurrent: 2})
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			text, err := d.Decode(context.Background(), bytes.NewReader(photo))
			if err == nil && text != f.payload {
				err = errors.New("wrong text " + text)
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// pngHeader is a PNG signature and IHDR declaring w×h 8-bit RGB, with nothing after it.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 4+13)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 2 // bit depth, colour type RGB
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(ihdr))
	return b.Bytes()
}

func TestInputErrors(t *testing.T) {
	f := getFixture(t)
	photo := photos(t, f, 1)[0]
	d := NewDecoder(Limits{})

	var gifBuf bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 10, 10), color.Palette{color.White, color.Black})
	if err := gif.Encode(&gifBuf, pal, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		d    *Decoder
		r    io.Reader
		want error
	}{
		{"over the byte limit", NewDecoder(Limits{MaxBytes: 1000}), bytes.NewReader(photo.jpeg), ErrTooLarge},
		{"over the default byte limit", d, io.LimitReader(zeros{}, DefaultMaxBytes+1), ErrTooLarge},
		{"30000×30000 PNG header", d, bytes.NewReader(pngHeader(30000, 30000)), ErrTooManyPixels},
		{"over a pixel limit", NewDecoder(Limits{MaxPixels: 1 << 20}), bytes.NewReader(photo.jpeg), ErrTooManyPixels},
		{"GIF", d, &gifBuf, ErrUnsupportedFormat},
		{"text", d, strings.NewReader("RC1:NOT AN IMAGE"), ErrUnsupportedFormat},
		{"empty", d, strings.NewReader(""), ErrUnsupportedFormat},
		// Go's JPEG and PNG decoders return no partial image, so a cut file never reaches the
		// QR reader: it is unreadable, not "no QR".
		{"truncated JPEG", d, bytes.NewReader(photo.jpeg[:len(photo.jpeg)/2]), ErrUnreadable},
		{"JPEG header only", d, bytes.NewReader(photo.jpeg[:600]), ErrUnreadable},
		{"PNG header only", d, bytes.NewReader(pngHeader(100, 100)), ErrUnreadable},
		{"0×0 PNG", d, bytes.NewReader(pngHeader(0, 0)), ErrUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := tt.d.Decode(context.Background(), tt.r)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode = %q, %v; want %v", text, err, tt.want)
			}
		})
	}
	// Verify returns input errors as errors, not as a status.
	if res, err := d.Verify(context.Background(), bytes.NewReader(pngHeader(30000, 30000)), f.tl, testNow, nil); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("Verify = %+v, %v", res, err)
	}
}

// TestJPEGScanLimit: a JPEG with more scans than its kind allows is refused before decoding
// (progressive scan bombs), however the scans are hidden from a naive marker counter.
func TestJPEGScanLimit(t *testing.T) {
	f := getFixture(t)
	photo := photos(t, f, 1)[0].jpeg
	// The photo's own scan header, repeated with one byte of entropy data each, before EOI.
	sos := bytes.Index(photo, []byte{0xFF, 0xDA})
	hdr := photo[sos : sos+2+int(photo[sos+2])<<8+int(photo[sos+3])]
	bomb := slices.Clone(photo[:len(photo)-2])
	for range 100 {
		bomb = append(bomb, hdr...)
		bomb = append(bomb, 0x00)
	}
	bomb = append(bomb, 0xFF, 0xD9)
	d := NewDecoder(Limits{})
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"baseline, 101 scans", bomb},
		// Attack (a) of issue 13: one junk byte, which image/jpeg skips, hid 2,000 refinement
		// scans of a 12 MP frame from the old counter (53 s of CPU).
		{"junk byte before 2000 progressive scans", imagegatetest.ProgressiveBomb(4000, 3000, 2000, true)},
	} {
		_, err := d.Decode(context.Background(), bytes.NewReader(tt.data))
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "scans") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// A 12 MP 16-bit PNG is within the pixel limit but decodes to 100 MB: accepted at the
	// default memory cap, refused under a smaller one.
	if _, err := NewDecoder(Limits{MaxDecodedBytes: 64 << 20}).Decode(context.Background(),
		bytes.NewReader(imagegatetest.PNG16(4000, 3000))); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("16-bit PNG over the memory cap: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestHugeHeaderAllocatesNothing: the pixel check reads the header only; a decoder that went
// on would allocate 2.7 GB for 30000×30000 RGB.
func TestHugeHeaderAllocatesNothing(t *testing.T) {
	d := NewDecoder(Limits{})
	data := pngHeader(30000, 30000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := d.Decode(context.Background(), bytes.NewReader(data)); !errors.Is(err, ErrTooManyPixels) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 10<<20 {
		t.Errorf("10 refusals allocated %d bytes", n)
	}
}

func TestContextAndBudget(t *testing.T) {
	f := getFixture(t)
	photo := photos(t, f, 1)[0]

	// All slots taken: Decode waits, and gives up with the caller's context.
	d := NewDecoder(Limits{MaxConcurrent: 1})
	d.sem <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := d.Decode(ctx, bytes.NewReader(photo.jpeg)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting for a slot: %v", err)
	}
	<-d.sem
	if text, err := d.Decode(context.Background(), bytes.NewReader(photo.jpeg)); err != nil || text != f.payload {
		t.Errorf("after the slot is free: %q, %v", text, err)
	}

	// A budget too small for any attempt: no QR, said so.
	d = NewDecoder(Limits{Timeout: time.Nanosecond})
	_, err := d.Decode(context.Background(), bytes.NewReader(photo.jpeg))
	if !errors.Is(err, ErrNoQR) || !strings.Contains(err.Error(), "budget") {
		t.Errorf("tiny budget: %v", err)
	}
	res, err := d.Verify(context.Background(), bytes.NewReader(photo.jpeg), f.tl, testNow, nil)
	if err != nil || res.Status != certs.StatusNoQRFound {
		t.Errorf("Verify with tiny budget: %+v, %v", res, err)
	}

	// A cancelled caller is an error, not "no QR".
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := NewDecoder(Limits{}).Decode(ctx, bytes.NewReader(photo.jpeg)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestDefaults(t *testing.T) {
	l := NewDecoder(Limits{}).Limits()
	if l.MaxBytes != 20<<20 || l.MaxPixels < 4032*3024 || l.MaxConcurrent != runtime.NumCPU() || l.Timeout != 2*time.Second || l.MaxDecodedBytes != 16*l.MaxPixels {
		t.Errorf("defaults %+v", l)
	}
}

// FuzzDecode: no input panics, and every outcome is a text or one of the package's errors.
func FuzzDecode(f *testing.F) {
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	var jb, pb bytes.Buffer
	jpeg.Encode(&jb, g, nil)
	png.Encode(&pb, g)
	qr, _ := qrcode.Encode("RC1:HELLO", qrcode.Low, 64)
	f.Add(jb.Bytes())
	f.Add(pb.Bytes())
	f.Add(qr)
	f.Add(jb.Bytes()[:len(jb.Bytes())/2])
	f.Add(pngHeader(30000, 30000))
	f.Add(pngHeader(1, 1))
	f.Add([]byte("GIF89a"))
	f.Add([]byte{0xFF, 0xD8, 0xFF})
	d := NewDecoder(Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, Timeout: time.Second})
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := d.Decode(context.Background(), bytes.NewReader(data))
		if err == nil {
			if text == "" {
				t.Fatal("no error and no text")
			}
			return
		}
		for _, e := range []error{ErrTooLarge, ErrTooManyPixels, ErrUnsupportedFormat, ErrUnreadable, ErrNoQR} {
			if errors.Is(err, e) {
				return
			}
		}
		t.Fatalf("untyped error %v", err)
	})
}
