package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/imagegate"
)

// Input errors. The HTTP layer maps them to 4xx (ErrTooLarge, ErrTooManyPixels: 413 IMAGE_TOO_LARGE;
// ErrUnsupportedFormat: 415 UNSUPPORTED_MEDIA; ErrUnreadable: 400). Test with errors.Is: the
// returned errors wrap them with details.
var (
	ErrTooLarge          = errors.New("verify: image too large")
	ErrTooManyPixels     = errors.New("verify: image has too many pixels")
	ErrUnsupportedFormat = errors.New("verify: not a JPEG or PNG image or a PDF")
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
	// DefaultMaxDecodedBytes is 16 bytes per allowed pixel: every JPEG or PNG a camera or
	// scanner writes at 12 MP decodes within it (a progressive 4:4:4 JPEG takes 15 bytes a
	// pixel, a 16-bit PNG 8), while a four-component progressive JPEG (24) is refused.
	DefaultMaxDecodedBytes = 16 * DefaultMaxPixels
)

// Limits bound the work one photo may cause. Zero (or negative) fields take the defaults.
type Limits struct {
	MaxBytes      int64         // bytes read from the reader (DefaultMaxBytes)
	MaxPixels     int64         // width × height from the header, checked before decoding (DefaultMaxPixels)
	MaxConcurrent int           // photos decoded at once (runtime.NumCPU())
	Timeout       time.Duration // per-photo budget, image decoding included (DefaultTimeout)
	// MaxDecodedBytes bounds the memory the image decoder allocates, computed from the
	// header (DefaultMaxDecodedBytes). The scans of a JPEG are bounded by imagegate.
	MaxDecodedBytes int64
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
	if l.MaxDecodedBytes <= 0 {
		l.MaxDecodedBytes = DefaultMaxDecodedBytes
	}
	return l
}

// gate is the image gate with these limits.
func (l Limits) gate() imagegate.Limits {
	return imagegate.Limits{MaxBytes: l.MaxBytes, MaxPixels: l.MaxPixels,
		MaxDecodedBytes: l.MaxDecodedBytes, Budget: l.Timeout}
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

// Decode reads a JPEG or PNG photo, or a certificate PDF (pdf.go), and returns the text of its
// certificate QR code: the first text found that starts with "RC1:". For a PDF it is the
// payload of its metadata, which must agree with the QR code drawn on its page
// (ErrPDFMismatch otherwise). When no such code is found but another QR code was, its
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
	// The gate's checks read headers only, so a refusal never waits for a slot.
	gate := d.l.gate()
	format := imagegate.Sniff(data)
	switch format {
	case "jpeg", "png":
		if _, err := gate.Check(data); err != nil {
			return "", gateError(err)
		}
	case "pdf":
	default:
		return "", fmt.Errorf("%w (%s)", ErrUnsupportedFormat, format) // GIF, WebP, HEIC: refused, not half-supported
	}

	// Decoding is where memory and CPU go, so only that part waits for a slot.
	select {
	case d.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-d.sem }()

	// One budget for the whole photo: decoding the image, then reading the QR code.
	budget, cancel := context.WithTimeout(ctx, d.l.Timeout)
	defer cancel()

	if format == "pdf" {
		text, err := decodePDF(budget, data)
		if err != nil && ctx.Err() != nil {
			return "", ctx.Err()
		}
		return text, err
	}
	img, _, err := gate.Decode(budget, data)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err() // the caller gave up, not our budget
		}
		return "", gateError(err)
	}
	g := luminance(img)
	img = nil // let the colour planes go before the scales are built
	text, err := scan(budget, g)
	if err != nil && ctx.Err() != nil {
		return "", ctx.Err() // the caller gave up, not our budget
	}
	return text, err
}

// Verify decodes the photo (or PDF) and verifies its payload. No QR code gives a Result with
// status no_qr_found; a PDF whose metadata and QR code differ gives malformed; a QR code that is not an RC1 payload gives malformed or unsupported_version
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
	if errors.Is(err, ErrPDFMismatch) {
		res := certs.Result{Status: certs.StatusMalformed, Detail: err.Error()}
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

// gateError maps the image gate's refusals to this package's input errors; a decode that
// outlives the budget is "no QR code within the time budget", like a scan that does.
func gateError(err error) error {
	switch {
	case errors.Is(err, imagegate.ErrTooLarge):
		return fmt.Errorf("%w: %v", ErrTooLarge, err)
	case errors.Is(err, imagegate.ErrTooManyPixels):
		return fmt.Errorf("%w: %v", ErrTooManyPixels, err)
	case errors.Is(err, imagegate.ErrUnsupported):
		return fmt.Errorf("%w: %v", ErrUnsupportedFormat, err)
	case errors.Is(err, imagegate.ErrBudget), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: time budget spent decoding the image: %v", ErrNoQR, err)
	}
	return fmt.Errorf("%w: %v", ErrUnreadable, err)
}

// hasPayloadPrefix reports a roadcheck payload of the version this build reads.
func hasPayloadPrefix(s string) bool { return strings.HasPrefix(s, certs.PayloadPrefix) }
