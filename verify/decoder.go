package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// Input errors. The HTTP layer maps them to 4xx (ErrTooLarge, ErrTooManyPixels: 413 IMAGE_TOO_LARGE;
// ErrUnsupportedFormat: 415 UNSUPPORTED_MEDIA; ErrUnreadable: 400). Test with errors.Is: the
// returned errors wrap them with details.
var (
	ErrTooLarge          = errors.New("verify: image too large")
	ErrTooManyPixels     = errors.New("verify: image has too many pixels")
	ErrUnsupportedFormat = errors.New("verify: not a JPEG or PNG image")
	ErrUnreadable        = errors.New("verify: image does not decode")
	// ErrNoQR means no QR code was decoded (within the time budget). Verify turns it into
	// the status no_qr_found.
	ErrNoQR = errors.New("verify: no QR code found")
)

// Defaults of Limits.
const (
	DefaultMaxBytes = 20 << 20
	// DefaultMaxPixels is 12 "megapixels" counted as 12 × 2^20, so a 12 MP phone camera's
	// 4032 × 3024 (12.19 million) photo is accepted while 48 MP originals are not.
	DefaultMaxPixels = 12 << 20
	DefaultTimeout   = 2 * time.Second
)

// Limits bound the work one photo may cause. Zero (or negative) fields take the defaults.
type Limits struct {
	MaxBytes      int64         // bytes read from the reader (DefaultMaxBytes)
	MaxPixels     int64         // width × height from the header, checked before decoding (DefaultMaxPixels)
	MaxConcurrent int           // photos decoded at once (runtime.NumCPU())
	Timeout       time.Duration // per-photo budget once decoding starts (DefaultTimeout)
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxConcurrent <= 0 {
		l.MaxConcurrent = runtime.NumCPU()
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	return l
}

// Decoder decodes certificate QR codes from photos within Limits. It is safe for concurrent
// use; one Decoder per process is meant to be shared so that its semaphore bounds the process.
type Decoder struct {
	l   Limits
	sem chan struct{}
}

// NewDecoder returns a decoder with limits l (zero fields: defaults).
func NewDecoder(l Limits) *Decoder {
	l = l.withDefaults()
	return &Decoder{l: l, sem: make(chan struct{}, l.MaxConcurrent)}
}

// Limits returns the effective limits (defaults filled in).
func (d *Decoder) Limits() Limits { return d.l }

// Decode reads a JPEG or PNG photo and returns the text of its certificate QR code: the first
// text found that starts with "RC1:". When no such code is found but another QR code was, its
// text is returned (nil error) so the caller can report malformed or unsupported_version. When
// no QR code decodes at all (or the time budget runs out first), the error wraps ErrNoQR.
// Input problems wrap ErrTooLarge, ErrTooManyPixels, ErrUnsupportedFormat or ErrUnreadable; a
// cancelled ctx returns ctx.Err(); an error of r itself (a client gone, an
// http.MaxBytesReader's limit) is returned wrapped, untyped.
func (d *Decoder) Decode(ctx context.Context, r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, d.l.MaxBytes+1))
	if err != nil {
		return "", fmt.Errorf("verify: reading image: %w", err)
	}
	if int64(len(data)) > d.l.MaxBytes {
		return "", fmt.Errorf("%w: more than %d bytes", ErrTooLarge, d.l.MaxBytes)
	}
	return d.DecodeBytes(ctx, data)
}

// DecodeBytes is Decode on bytes already in memory (the byte limit still applies).
func (d *Decoder) DecodeBytes(ctx context.Context, data []byte) (string, error) {
	if int64(len(data)) > d.l.MaxBytes {
		return "", fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), d.l.MaxBytes)
	}
	format, err := sniff(data)
	if err != nil {
		return "", err
	}
	if err := d.checkPixels(format, data); err != nil {
		return "", err
	}

	// Decoding is where memory and CPU go, so only that part waits for a slot.
	select {
	case d.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-d.sem }()

	budget, cancel := context.WithTimeout(ctx, d.l.Timeout)
	defer cancel()

	img, err := decodeImage(format, data)
	if err != nil {
		return "", err
	}
	g := luminance(img)
	img = nil // let the colour planes go before the scales are built
	text, err := scan(budget, g)
	if err != nil && ctx.Err() != nil {
		return "", ctx.Err() // the caller gave up, not our budget
	}
	return text, err
}

// Verify decodes the photo and verifies its payload. No QR code gives a Result with status
// no_qr_found; a QR code that is not an RC1 payload gives malformed or unsupported_version
// (certs.Verify classifies the text); otherwise it is certs.Verify's result. Only input errors
// (and a cancelled ctx) are returned as errors.
func (d *Decoder) Verify(ctx context.Context, r io.Reader, tl *certs.TrustList, now time.Time, revoked func(string) bool) (certs.Result, error) {
	text, err := d.Decode(ctx, r)
	if errors.Is(err, ErrNoQR) {
		res := certs.Result{Status: certs.StatusNoQRFound, Detail: err.Error()}
		if tl != nil {
			res.TrustListVersion = tl.Version
		}
		return res, nil
	}
	if err != nil {
		return certs.Result{}, err
	}
	return certs.Verify(text, tl, now, revoked), nil
}

type format int

const (
	formatJPEG format = iota + 1
	formatPNG
)

// sniff identifies JPEG and PNG by their magic bytes: the client's Content-Type and file name
// are not trusted, and other formats (GIF, WebP, HEIC) are refused rather than half-supported.
func sniff(b []byte) (format, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG, nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG, nil
	}
	return 0, ErrUnsupportedFormat
}

// checkPixels reads only the header, so a small file declaring a huge image is refused before
// the decoder allocates its pixels.
func (d *Decoder) checkPixels(f format, data []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: header: decoder panic: %v", ErrUnreadable, p)
		}
	}()
	var cfg image.Config
	if f == formatJPEG {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return fmt.Errorf("%w: header: %v", ErrUnreadable, err)
	}
	if f == formatJPEG {
		if n := jpegScans(data); n > maxJPEGScans {
			return fmt.Errorf("%w: %d scans, limit %d", ErrUnreadable, n, maxJPEGScans)
		}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: %d×%d image", ErrUnreadable, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > d.l.MaxPixels {
		return fmt.Errorf("%w: %d×%d, limit %d pixels", ErrTooManyPixels, cfg.Width, cfg.Height, d.l.MaxPixels)
	}
	return nil
}

func decodeImage(f format, data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: decoder panic: %v", ErrUnreadable, p)
		}
	}()
	if f == formatJPEG {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	return img, nil
}

// maxJPEGScans bounds the scans of a JPEG. Every progressive scan walks all blocks of the
// image, so a small file with thousands of scans (EOB runs cost a few bytes each) keeps the
// decoder busy for minutes ("LJT-01-003" in libjpeg-turbo's report on the JPEG standard).
// Cameras and encoders write at most a few dozen.
const maxJPEGScans = 100

// jpegScans counts the start-of-scan markers of a JPEG by walking its marker segments: the
// length-prefixed segments are skipped whole, so an EXIF thumbnail's markers are not counted,
// and entropy-coded data is skipped up to the next marker (0xFF not followed by 0x00 or RSTn).
func jpegScans(b []byte) int {
	n := 0
	i := 2 // after SOI
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return n // not at a marker: let the decoder report it
		}
		m := b[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0xD9: // EOI
			return n
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7): // markers without a length
			i += 2
			continue
		}
		i += 2 + (int(b[i+2])<<8 | int(b[i+3]))
		if m != 0xDA {
			continue
		}
		n++
		for i+1 < len(b) && (b[i] != 0xFF || b[i+1] == 0x00 || (b[i+1] >= 0xD0 && b[i+1] <= 0xD7)) {
			i++
		}
	}
	return n
}

// hasPayloadPrefix reports a roadcheck payload of the version this build reads.
func hasPayloadPrefix(s string) bool { return strings.HasPrefix(s, certs.PayloadPrefix) }
