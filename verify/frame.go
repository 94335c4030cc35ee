package verify

import (
	"context"
	"fmt"
)

// DecodeFrame reads the QR code of one camera frame: w×h pixels of 8-bit RGBA, row-major
// without padding (a canvas's ImageData; alpha is ignored). It is the live scanner's path
// (the inspector's page, compiled to WebAssembly): the frame is taken at the size given (the
// caller downscales it, a long side of 640 to 960 pixels holds a certificate's code held
// close), read with the hybrid and then the mid-range binarization, each with grid fitting,
// and without the inverted and mirrored passes or the extra scales of a photo: a frame without
// a code costs two detector runs, because the next frame comes a fifth of a second later.
//
// The result follows Decode: the first RC1 text, else another QR text seen (nil error), else
// an error wrapping ErrNoQR. ctx bounds the work between attempts.
func DecodeFrame(ctx context.Context, rgba []byte, w, h int) (string, error) {
	if w <= 0 || h <= 0 || int64(w)*int64(h) > DefaultMaxPixels || len(rgba) != 4*w*h {
		return "", fmt.Errorf("%w: frame %d×%d with %d bytes", ErrUnreadable, w, h, len(rgba))
	}
	g := &gray{w: w, h: h, pix: make([]byte, w*h)}
	for i := range g.pix {
		p := rgba[4*i : 4*i+3]
		g.pix[i] = byte(luma(uint32(p[0]), uint32(p[1]), uint32(p[2])))
	}
	src := newLumSource(g)
	var other string
	for _, bin := range binarizers {
		if !bin.fit { // the global histogram seldom reads what these two miss (see binarizers)
			continue
		}
		if err := ctx.Err(); err != nil {
			return noQR(other, fmt.Errorf("%w (time budget used up)", ErrNoQR))
		}
		text, ok := attempt(ctx, bin.new(src), true)
		if !ok {
			continue
		}
		if hasPayloadPrefix(text) {
			return text, nil
		}
		if other == "" {
			other = text
		}
	}
	return noQR(other, ErrNoQR)
}
