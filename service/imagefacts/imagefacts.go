package imagefacts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"runtime"
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
}

// Limits bound the resources one analysis may use. Zero or negative fields take the defaults.
type Limits struct {
	MaxBytes      int64 // bodies above → ErrTooLarge. Default 32 MiB.
	MaxPixels     int64 // width×height declared by a PNG/JPEG/GIF header above → ErrTooManyPixels. Default 40,000,000.
	MaxConcurrent int   // analyses running at once; more wait (respecting ctx). Default runtime.NumCPU().
}

// Defaults for zero Limits fields.
const (
	DefaultMaxBytes  = 32 << 20
	DefaultMaxPixels = 40_000_000
)

// Options select the optional measures.
type Options struct {
	Background bool // classify the ID-photo background (kind photo_2inch)
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
	return &Analyzer{maxBytes: l.MaxBytes, maxPixels: l.MaxPixels, sem: make(chan struct{}, l.MaxConcurrent)}
}

// Analyze reads at most MaxBytes+1 bytes from r and computes their Facts. Undecodable or
// unsupported content is reported in the Facts, not as an error: the only errors are
// ErrTooLarge, ErrTooManyPixels, ctx's error while waiting for a slot, and read errors of r.
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
	f := Facts{Format: sniff(data), SizeBytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	switch f.Format {
	case "png", "jpeg":
		if err := a.analyzeImage(data, opt, &f); err != nil {
			return Facts{}, err
		}
	case "gif":
		// A GIF is an image in a format the rulebook refuses (MATERIAL_FORMAT), not an unreadable
		// file: it is decoded, under the same pixel cap, only to say truthfully that it reads.
		cfg, err := safeDecodeConfig(gif.DecodeConfig, data)
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
			break
		}
		f.Width, f.Height = cfg.Width, cfg.Height
		if int64(cfg.Width)*int64(cfg.Height) > a.maxPixels {
			return Facts{}, fmt.Errorf("%w (%d×%d declared, limit %d pixels)", ErrTooManyPixels, cfg.Width, cfg.Height, a.maxPixels)
		}
		if _, err := safeDecode(gif.Decode, data); err == nil {
			f.Readable = true
		}
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

// analyzeImage fills the image facts of a PNG or JPEG. Only ErrTooManyPixels is an error.
func (a *Analyzer) analyzeImage(data []byte, opt Options, f *Facts) error {
	decodeConfig, decode := png.DecodeConfig, png.Decode
	if f.Format == "jpeg" {
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	}
	cfg, err := safeDecodeConfig(decodeConfig, data)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil // no usable header: unreadable
	}
	f.Width, f.Height = cfg.Width, cfg.Height
	// The header is checked before decoding because decoders allocate the whole image up front.
	if int64(cfg.Width)*int64(cfg.Height) > a.maxPixels {
		return fmt.Errorf("%w (%d×%d declared, limit %d pixels)", ErrTooManyPixels, cfg.Width, cfg.Height, a.maxPixels)
	}
	if tooSmall(f.Format, data, cfg.Width, cfg.Height) {
		return nil // certainly truncated: skip the decoder's up-front allocation
	}
	img, err := safeDecode(decode, data)
	if err != nil {
		return nil
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil
	}
	m, ok := safeMeasure(img, opt.Background)
	if !ok {
		return nil
	}
	f.Width, f.Height = b.Dx(), b.Dy()
	f.Readable = true
	f.Sharpness = &m.sharpness
	if opt.Background {
		f.Background = m.background
	}
	return nil
}

// The decoders are hardened, but an upload is hostile input: a panic in a decoder (or in the
// measures) must become "unreadable", not take the process down.

func safeDecodeConfig(fn func(io.Reader) (image.Config, error), data []byte) (cfg image.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			cfg, err = image.Config{}, fmt.Errorf("imagefacts: decoder panic: %v", p)
		}
	}()
	return fn(bytes.NewReader(data))
}

func safeDecode(fn func(io.Reader) (image.Image, error), data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("imagefacts: decoder panic: %v", p)
		}
	}()
	return fn(bytes.NewReader(data))
}

func safeMeasure(img image.Image, background bool) (m measures, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			m, ok = measures{}, false
		}
	}()
	return measure(img, background), true
}

// tooSmall reports whether data is too short to encode the pixels its header declares, so a
// full decode can only fail. The decoders allocate the whole image (and, for progressive
// JPEG, a coefficient buffer per component) before reading any pixel data: without this
// check a 40-byte file declaring 36 MP makes the JPEG decoder allocate over 500 MB.
func tooSmall(format string, data []byte, w, h int) bool {
	n := int64(len(data))
	switch format {
	case "jpeg":
		// Every block of a scan costs at least one bit (its DC code or refinement bit) and a
		// real image has at least a luma DC scan: ⌈w/8⌉·⌈h/8⌉ bits. (A progressive file with
		// no DC scan at all, which no encoder writes, is thereby reported unreadable.)
		blocks := int64((w+7)/8) * int64((h+7)/8)
		return n < blocks/8
	case "png":
		// Deflate expands at most 1032:1 (a 258-byte match in two 1-bit codes); the raw image
		// is at least h rows of a filter byte plus ⌈w·channels·depth/8⌉ bytes. The decoder
		// accepted the header, so IHDR is the first chunk and its fields are at fixed offsets.
		if n < 26 {
			return true
		}
		depth, channels := int64(data[24]), int64(1) // grey, palette
		switch data[25] {
		case 2: // RGB
			channels = 3
		case 4: // grey + alpha
			channels = 2
		case 6: // RGBA
			channels = 4
		}
		raw := int64(h) * (1 + (int64(w)*channels*depth+7)/8)
		return n < raw/1032
	}
	return false
}
