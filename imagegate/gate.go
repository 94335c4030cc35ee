package imagegate

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"time"
)

// Errors of Check and Decode; the returned errors wrap them with details, so test with
// errors.Is. A refusal for decoded memory wraps ErrTooManyPixels (too many pixels for their
// depth): to a client it is the same "image too large".
var (
	ErrTooLarge      = errors.New("imagegate: image larger than the byte limit")
	ErrTooManyPixels = errors.New("imagegate: image declares more pixels than the limit")
	ErrUnsupported   = errors.New("imagegate: not a PNG, JPEG or GIF image")
	ErrUnreadable    = errors.New("imagegate: image does not decode")
	ErrBudget        = errors.New("imagegate: decoding took longer than the time budget")
)

// Defaults of zero (or negative) Limits fields.
const (
	DefaultMaxBytes        = 32 << 20
	DefaultMaxPixels       = 40_000_000
	DefaultMaxDecodedBytes = 256 << 20
	// DefaultMaxProgressiveScans: libjpeg's standard progressive scripts write 6 scans for
	// greyscale, 10 for YCbCr and 18 for CMYK; mozjpeg's optimised scripts stay within that
	// range. 20 admits all of them; each extra scan costs a full pass over the blocks.
	DefaultMaxProgressiveScans = 20
	DefaultBudget              = 5 * time.Second
)

// Limits bound the work one image may cause. Zero or negative fields take the defaults.
type Limits struct {
	MaxBytes            int64         // length of the encoded file
	MaxPixels           int64         // width × height declared by the header
	MaxDecodedBytes     int64         // memory the decoder allocates for pixels and coefficients
	MaxProgressiveScans int           // scans of a progressive JPEG (a baseline one: one per component)
	Budget              time.Duration // how long Decode waits for the decoder
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxDecodedBytes <= 0 {
		l.MaxDecodedBytes = DefaultMaxDecodedBytes
	}
	if l.MaxProgressiveScans <= 0 {
		l.MaxProgressiveScans = DefaultMaxProgressiveScans
	}
	if l.Budget <= 0 {
		l.Budget = DefaultBudget
	}
	return l
}

// WithDefaults returns l with zero fields set to the defaults.
func (l Limits) WithDefaults() Limits { return l.withDefaults() }

// Info is what Check learnt from the headers. Width and Height are set whenever the header
// could be read, even when the image is then refused as unreadable.
type Info struct {
	Format       string // Sniff's name
	Width        int
	Height       int
	Progressive  bool  // a progressive JPEG
	Scans        int   // JPEG scans counted (0 for other formats)
	DecodedBytes int64 // memory the standard decoder allocates, estimated from above
}

// Check applies every limit that needs no decoding: format, bytes, declared pixels, decoded
// memory, JPEG scans, and a length plausible for the declared pixels.
func (l Limits) Check(data []byte) (info Info, err error) {
	l = l.withDefaults()
	info.Format = Sniff(data)
	if int64(len(data)) > l.MaxBytes {
		return info, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), l.MaxBytes)
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	switch info.Format {
	case "png":
		decodeConfig = png.DecodeConfig
	case "jpeg":
		decodeConfig = jpeg.DecodeConfig
	case "gif":
		decodeConfig = gif.DecodeConfig
	default:
		return info, fmt.Errorf("%w: %s", ErrUnsupported, info.Format)
	}
	cfg, err := safeDecodeConfig(decodeConfig, data)
	if err != nil {
		return info, fmt.Errorf("%w: header: %v", ErrUnreadable, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return info, fmt.Errorf("%w: %d×%d image", ErrUnreadable, cfg.Width, cfg.Height)
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > l.MaxPixels {
		return info, fmt.Errorf("%w: %d×%d, limit %d pixels", ErrTooManyPixels, cfg.Width, cfg.Height, l.MaxPixels)
	}

	switch info.Format {
	case "jpeg":
		w := walkJPEG(data)
		info.Scans, info.Progressive = w.scans, w.progressive
		if !w.sof {
			return info, fmt.Errorf("%w: no frame header", ErrUnreadable)
		}
		limit := max(w.nComp, 1) // sequential: each component in exactly one scan (ITU T.81 B.2.3)
		if w.progressive {
			limit = l.MaxProgressiveScans
		}
		if w.scans > limit {
			return info, fmt.Errorf("%w: %d scans, limit %d", ErrUnreadable, w.scans, limit)
		}
		info.DecodedBytes = w.decodedBytes(cfg.Width, cfg.Height)
	case "png":
		info.DecodedBytes = pngDecodedBytes(data, cfg.Width, cfg.Height)
	case "gif":
		info.DecodedBytes = pixels // one palette index a pixel, first frame only
	}
	if tooSmall(info.Format, data, cfg.Width, cfg.Height) {
		return info, fmt.Errorf("%w: %d bytes cannot hold %d×%d pixels", ErrUnreadable, len(data), cfg.Width, cfg.Height)
	}
	if info.DecodedBytes > l.MaxDecodedBytes {
		return info, fmt.Errorf("%w: %d×%d decodes to %d bytes, limit %d", ErrTooManyPixels,
			cfg.Width, cfg.Height, info.DecodedBytes, l.MaxDecodedBytes)
	}
	return info, nil
}

// Decode checks data and decodes it. It returns ErrBudget when the decoder has not finished
// within Budget and ctx.Err() when ctx ends first; in both cases the decoder goroutine goes
// on in the background (Go's decoders cannot be stopped) and its result is dropped. Its work
// is bounded by Check's limits, which is why they come first.
func (l Limits) Decode(ctx context.Context, data []byte) (image.Image, Info, error) {
	l = l.withDefaults()
	info, err := l.Check(data)
	if err != nil {
		return nil, info, err
	}
	if err := ctx.Err(); err != nil {
		return nil, info, err
	}
	type result struct {
		img image.Image
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned decoder must not block forever
	go func() {
		img, err := decode(info.Format, data)
		done <- result{img, err}
	}()
	timer := time.NewTimer(l.Budget)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, info, fmt.Errorf("%w: %v", ErrUnreadable, r.err)
		}
		if b := r.img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
			return nil, info, fmt.Errorf("%w: decoded %v, header %d×%d", ErrUnreadable, b, info.Width, info.Height)
		}
		return r.img, info, nil
	case <-timer.C:
		return nil, info, fmt.Errorf("%w (%v)", ErrBudget, l.Budget)
	case <-ctx.Done():
		return nil, info, ctx.Err()
	}
}

func decode(format string, data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	r := bytes.NewReader(data)
	switch format {
	case "png":
		return png.Decode(r)
	case "jpeg":
		return jpeg.Decode(r)
	case "gif":
		return gif.Decode(r)
	}
	return nil, fmt.Errorf("no decoder for %s", format)
}

// The decoders are hardened, but the input is hostile: a panic must become "unreadable".
func safeDecodeConfig(fn func(io.Reader) (image.Config, error), data []byte) (cfg image.Config, err error) {
	defer func() {
		if p := recover(); p != nil {
			cfg, err = image.Config{}, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	return fn(bytes.NewReader(data))
}

// pngDecodedBytes is what image/png allocates for a w×h image of the IHDR's colour type and
// bit depth: Gray or Paletted 1 byte a pixel, Gray16 2, RGBA or NRGBA 4, RGBA64 or NRGBA64 8.
// An interlaced image is decoded pass by pass into images of their own and then merged, so
// it needs twice that. Two rows of filter state come on top.
func pngDecodedBytes(data []byte, w, h int) int64 {
	if len(data) < 29 { // DecodeConfig read IHDR, so it is the first chunk at fixed offsets
		return 8 * int64(w) * int64(h)
	}
	depth, colorType, interlace := int64(data[24]), data[25], data[28]
	var bpp int64
	switch colorType {
	case 0: // grey
		bpp = 1
		if depth == 16 {
			bpp = 2
		}
	case 3: // palette
		bpp = 1
	default: // RGB, grey+alpha, RGBA
		bpp = 4
		if depth == 16 {
			bpp = 8
		}
	}
	n := bpp * int64(w) * int64(h)
	if interlace != 0 {
		n *= 2
	}
	return n + 2*(8*int64(w)+1)
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

// Sniff names the format of b from its magic bytes: "png", "jpeg", "gif", "webp", "bmp",
// "tiff", "pdf" or "unknown". The client's content type and file name are never trusted.
// http.DetectContentType is not used: it does not know TIFF, wants a VP8 chunk right after
// the WebP header, and answers with MIME types rather than names.
func Sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}): // SOI followed by the next marker
		return "jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	case isBMP(b):
		return "bmp"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")), // TIFF
		bytes.HasPrefix(b, []byte("II+\x00")), bytes.HasPrefix(b, []byte("MM\x00+")): // BigTIFF
		return "tiff"
	case isPDF(b):
		return "pdf"
	}
	return "unknown"
}

// isBMP wants more than "BM" (which starts ordinary text too): the DIB header size that
// follows the 14-byte file header must be one of the known header versions.
func isBMP(b []byte) bool {
	if len(b) < 18 || b[0] != 'B' || b[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(b[14:18]) {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// isPDF accepts "%PDF-" anywhere in the first 1024 bytes, as PDF readers do (some producers
// put a preamble before the header).
func isPDF(b []byte) bool {
	return bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-"))
}
