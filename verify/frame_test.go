package verify

import (
	"context"
	"errors"
	"testing"
)

// TestDecodeFrame: the live scanner's path reads the rendered page and the first degraded
// photos as RGBA frames, finds nothing in a blank frame, and refuses a frame whose bytes do
// not match its size.
func TestDecodeFrame(t *testing.T) {
	f := getFixture(t)
	ctx := context.Background()
	p := f.page
	if text, err := DecodeFrame(ctx, p.Pix, p.Rect.Dx(), p.Rect.Dy()); err != nil || text != f.payload {
		t.Errorf("rendered page: %q, %v", text, err)
	}
	blank := make([]byte, 4*640*480)
	for i := range blank {
		blank[i] = 200
	}
	if _, err := DecodeFrame(ctx, blank, 640, 480); !errors.Is(err, ErrNoQR) {
		t.Errorf("blank frame: %v", err)
	}
	for _, c := range []struct {
		name string
		n    int
		w, h int
	}{{"short", 4*640*480 - 1, 640, 480}, {"empty", 0, 0, 0}, {"negative", 16, -2, -2}, {"too many pixels", 4, 1 << 15, 1 << 15}} {
		if _, err := DecodeFrame(ctx, make([]byte, c.n), c.w, c.h); !errors.Is(err, ErrUnreadable) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
