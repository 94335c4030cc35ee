package imagefacts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"runtime"
	"time"

	"github.com/roadcheck/roadcheck/imagegate"
)

// Facts are what roadcheck knows about an uploaded file, computed from its bytes.
type Facts struct {
	Format     string   // sniffed from content: "png", "jpeg", "gif", "webp", "bmp", "tiff", "pdf", or "unknown"
	SizeBytes  int64    // number of bytes
	Width      int      // 0 when unknown
	Height     int      // 0 when unknown
	SHA256     string   // lower-case hex of the bytes
	Readable   bool     // the bytes decode as an image (png, jpeg, gif; see the package doc)
	Background string   // only when Options.Background: "white" | "blue" | "red" | "other"; "" otherwise, when unreadable or not png/jpeg
	Sharpness  *float64 // variance of the Laplacian (see the package doc); nil when unreadable or not png/jpeg
	// Image is the decoded image of a readable PNG or JPEG when Options.KeepImage asked for it
	// (for the document reader, so the upload is decoded once); nil otherwise.
	Image image.Image
}

// Limits bound the resources one analysis may use. Zero or negative fields take the defaults.
type Limits struct {
	MaxBytes      int64 // bodies above → ErrTooLarge. Default 32 MiB.
	MaxPixels     int64 // width×height declared by a PNG/JPEG/GIF header above → ErrTooManyPixels. Default 40,000,000.
	MaxConcurrent int   // analyses running at once; more wait (respecting ctx). Default runtime.NumCPU().
	// MaxDecodedBytes bounds the memory a decode allocates, computed from the header's
	// colour model before decoding (a 16-bit PNG takes 8 bytes a pixel, a progressive JPEG
	// about 7.5 to 15): above → ErrTooManyPixels. Default 256 MiB.
	MaxDecodedBytes int64
	// Budget is how long an analysis waits for the image decoder; a decode that takes longer
	// makes the file unreadable (a fact, not an error). Default 5 s.
	Budget time.Duration
}

// Defaults for zero Limits fields.
const (
	DefaultMaxBytes        = 32 << 20
	DefaultMaxPixels       = 40_000_000
	DefaultMaxDecodedBytes = imagegate.DefaultMaxDecodedBytes
	DefaultBudget          = imagegate.DefaultBudget
)

// Options select the optional measures.
type Options struct {
	Background bool // classify the ID-photo background (the rulebook's photo_kinds)
	KeepImage  bool // return the decoded image of a readable PNG or JPEG in Facts.Image
}

// Sentinel errors; Analyze wraps them with the limit, so compare with errors.Is.
var (
	ErrTooLarge      = errors.New("imagefacts: file larger than the size limit")
	ErrTooManyPixels = errors.New("imagefacts: image declares more pixels than the limit")
)

// Analyzer computes Facts. It is safe for concurrent use.
type Analyzer struct {
	maxBytes  int64
	maxPixels int64
	gate      imagegate.Limits
	sem       chan struct{} // one token per running analysis
}

// NewAnalyzer returns an Analyzer with the given limits (zero fields take the defaults).
func NewAnalyzer(l Limits) *Analyzer {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxConcurrent <= 0 {
		l.MaxConcurrent = runtime.NumCPU()
	}
	gate := imagegate.Limits{MaxBytes: l.MaxBytes, MaxPixels: l.MaxPixels,
		MaxDecodedBytes: l.MaxDecodedBytes, Budget: l.Budget}.WithDefaults()
	return &Analyzer{maxBytes: l.MaxBytes, maxPixels: l.MaxPixels, gate: gate, sem: make(chan struct{}, l.MaxConcurrent)}
}

// Analyze reads at most MaxBytes+1 bytes from r and computes their Facts. Undecodable or
// unsupported content is reported in the Facts, not as an error: the only errors are
// ErrTooLarge, ErrTooManyPixels (declared pixels, or the memory they decode to), ctx's error
// while waiting for a slot or for the decoder, and read errors of r.
func (a *Analyzer) Analyze(ctx context.Context, r io.Reader, opt Options) (Facts, error) {
	data, err := a.read(r)
	if err != nil {
		return Facts{}, err
	}
	// The slot is taken after reading: a slow client must not hold CPU capacity it does not use.
	if err := a.acquire(ctx); err != nil {
		return Facts{}, err
	}
	defer func() { <-a.sem }()

	sum := sha256.Sum256(data)
	f := Facts{Format: imagegate.Sniff(data), SizeBytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	switch f.Format {
	case "png", "jpeg", "gif":
		// A GIF is an image in a format the rulebook refuses (MATERIAL_FORMAT), not an unreadable
		// file: it goes through the same gate, only to say truthfully that it reads.
		img, info, err := a.gate.Decode(ctx, data)
		f.Width, f.Height = info.Width, info.Height
		switch {
		case errors.Is(err, imagegate.ErrTooManyPixels):
			return Facts{}, fmt.Errorf("%w (%v)", ErrTooManyPixels, err)
		case errors.Is(err, imagegate.ErrTooLarge):
			return Facts{}, fmt.Errorf("%w (%v)", ErrTooLarge, err)
		case err != nil && ctx.Err() != nil:
			return Facts{}, ctx.Err()
		case err != nil:
			// Unreadable: a header, scans or length that cannot decode, a decoder error, or a
			// decode over the time budget.
			return f, nil
		}
		if f.Format == "gif" {
			f.Readable = true
			return f, nil
		}
		a.measureImage(img, opt, &f)
	}
	return f, nil
}

// read returns all of r, or ErrTooLarge as soon as more than maxBytes arrive.
func (a *Analyzer) read(r io.Reader) ([]byte, error) {
	limit := a.maxBytes + 1
	// Readers that know their length (bytes.Reader, the service's case) get an exact buffer;
	// growing by doubling would cost up to twice the body in garbage.
	size := int64(512)
	if l, ok := r.(interface{ Len() int }); ok {
		size = min(int64(l.Len()), limit) + 1 // +1: room for the read that reports EOF
	}
	buf := make([]byte, 0, size)
	lr := io.LimitReader(r, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("imagefacts: reading the upload: %w", err)
		}
	}
	if int64(len(buf)) > a.maxBytes {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, a.maxBytes)
	}
	return buf, nil
}

func (a *Analyzer) acquire(ctx context.Context) error {
	// Checked first so that a cancelled request never starts work, even when a slot is free.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// measureImage fills the facts of a decoded PNG or JPEG.
func (a *Analyzer) measureImage(img image.Image, opt Options, f *Facts) {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return
	}
	m, ok := safeMeasure(img, opt.Background)
	if !ok {
		return
	}
	f.Width, f.Height = b.Dx(), b.Dy()
	f.Readable = true
	f.Sharpness = &m.sharpness
	if opt.KeepImage {
		f.Image = img
	}
	if opt.Background {
		f.Background = m.background
	}
}

// An upload is hostile input: a panic in the measures must become "unreadable", not take the
// process down (the decoders run under recover in imagegate).
func safeMeasure(img image.Image, background bool) (m measures, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			m, ok = measures{}, false
		}
	}()
	return measure(img, background), true
}
