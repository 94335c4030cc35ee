package verify

import (
	"context"
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
)

// gray is an 8-bit luminance image, row-major without padding.
type gray struct {
	w, h int
	pix  []byte
}

// scaleSides are the long sides tried before full resolution (design.md).
var scaleSides = []int{1024, 1600}

// scan runs the attempts in order until one yields an RC1 text or the budget ends.
func scan(ctx context.Context, full *gray) (string, error) {
	scales := scalesOf(full)
	var other string // first non-RC1 QR text seen
	variants := []func(*gray) gozxing.LuminanceSource{
		func(g *gray) gozxing.LuminanceSource { return newLumSource(g) },
		func(g *gray) gozxing.LuminanceSource { return gozxing.NewInvertedLuminanceSource(newLumSource(g)) },
		// gozxing's decoder already retries a code's bits mirrored, so this pass (design.md's)
		// seldom adds a decode; it costs time only on photos that failed everything else.
		func(g *gray) gozxing.LuminanceSource { return newLumSource(mirror(g)) },
	}
	attempts := 0
	for _, variant := range variants {
		for _, sc := range scales {
			src := variant(sc.get())
			for _, bin := range binarizers {
				if err := ctx.Err(); err != nil {
					return noQR(other, fmt.Errorf("%w (time budget used up after %d attempts)", ErrNoQR, attempts))
				}
				attempts++
				text, ok := attempt(ctx, bin.new(src), bin.fit)
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
		}
	}
	return noQR(other, ErrNoQR)
}

// noQR returns a non-RC1 text when one was seen, else err.
func noQR(other string, err error) (string, error) {
	if other != "" {
		return other, nil
	}
	return "", err
}

// hints: TRY_HARDER only. gozxing tests PURE_BARCODE for presence, not value, so setting it
// to false would switch pure-barcode mode on; it is left out.
var hints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}

// binarizers in the order tried at each scale; fit marks those whose failures go on to the
// grid-fitting fallback (the global histogram rarely gets all three finders of an unevenly
// lit photo right, so fitting after it is not worth the time).
var binarizers = []struct {
	new func(gozxing.LuminanceSource) gozxing.Binarizer
	fit bool
}{
	{gozxing.NewHybridBinarizer, true},
	{gozxing.NewGlobalHistgramBinarizer, false},
	{newMidrangeBinarizer, true},
}

// attempt is one binarization, read as gozxing would, then (fit) by grid fitting when the
// finder patterns were found but the code did not decode. gozxing is a port of Java code that
// indexes arrays from detected geometry; a panic on a hostile image counts as "not found".
func attempt(ctx context.Context, bin gozxing.Binarizer, fit bool) (text string, ok bool) {
	defer func() {
		if recover() != nil {
			text, ok = "", false
		}
	}()
	bm, err := bin.GetBlackMatrix()
	if err != nil {
		return "", false
	}
	text, info, ok := readQR(ctx, bm)
	if ok || info == nil || !fit {
		return text, ok
	}
	return fitDecode(bm, info)
}

// scale is one resolution of the photo, built on first use so a photo that decodes at 1024
// never pays for 1600.
type scale struct {
	src  *gray
	side int // target long side; 0 = src itself
	img  *gray
}

func (s *scale) get() *gray {
	if s.img == nil {
		if s.side == 0 {
			s.img = s.src
		} else {
			s.img = downscale(s.src, s.side)
		}
	}
	return s.img
}

// scalesOf lists the scales smaller than the photo, then the photo itself. A target within
// 10 % of the photo's own size would repeat full resolution and is skipped.
func scalesOf(g *gray) []*scale {
	long := max(g.w, g.h)
	var out []*scale
	for _, side := range scaleSides {
		if float64(side) < 0.9*float64(long) {
			out = append(out, &scale{src: g, side: side})
		}
	}
	return append(out, &scale{src: g})
}

// downscale reduces g so its long side is about side, averaging each output pixel over the
// source pixels it covers (integer box bounds): averaging, unlike point sampling, keeps thin
// modules and suppresses JPEG and sensor noise.
func downscale(g *gray, side int) *gray {
	long := max(g.w, g.h)
	w := max(1, (g.w*side+long/2)/long)
	h := max(1, (g.h*side+long/2)/long)
	out := &gray{w: w, h: h, pix: make([]byte, w*h)}
	// Column bounds are the same for every row.
	x0s := make([]int, w+1)
	for x := 0; x <= w; x++ {
		x0s[x] = x * g.w / w
	}
	sums := make([]uint32, g.w)
	for oy := 0; oy < h; oy++ {
		y0, y1 := oy*g.h/h, (oy+1)*g.h/h
		if y1 <= y0 {
			y1 = y0 + 1
		}
		clear(sums)
		for y := y0; y < y1; y++ {
			row := g.pix[y*g.w : (y+1)*g.w]
			for x, v := range row {
				sums[x] += uint32(v)
			}
		}
		rows := uint32(y1 - y0)
		dst := out.pix[oy*w : (oy+1)*w]
		for ox := 0; ox < w; ox++ {
			x0, x1 := x0s[ox], x0s[ox+1]
			if x1 <= x0 {
				x1 = x0 + 1
			}
			var s uint32
			for _, v := range sums[x0:x1] {
				s += v
			}
			n := rows * uint32(x1-x0)
			dst[ox] = byte((s + n/2) / n)
		}
	}
	return out
}

func mirror(g *gray) *gray {
	out := &gray{w: g.w, h: g.h, pix: make([]byte, len(g.pix))}
	for y := 0; y < g.h; y++ {
		src, dst := g.pix[y*g.w:(y+1)*g.w], out.pix[y*g.w:(y+1)*g.w]
		for x, v := range src {
			dst[g.w-1-x] = v
		}
	}
	return out
}

// luminance converts the decoded image to gray once. JPEG photos decode to YCbCr, whose Y
// plane already is the luminance (BT.601), so it is copied; transparent pixels count as white
// paper.
func luminance(img image.Image) *gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := &gray{w: w, h: h, pix: make([]byte, w*h)}
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			o := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(g.pix[y*w:(y+1)*w], m.Y[o:o+w])
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			o := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(g.pix[y*w:(y+1)*w], m.Pix[o:o+w])
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.pix[y*w : (y+1)*w]
			for x := range dst {
				p := row[4*x : 4*x+4]
				l := luma(uint32(p[0]), uint32(p[1]), uint32(p[2]))
				a := uint32(p[3])
				dst[x] = byte((l*a + 255*(255-a) + 127) / 255)
			}
		}
	case *image.RGBA: // premultiplied: add the white that shows through
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			dst := g.pix[y*w : (y+1)*w]
			for x := range dst {
				p := row[4*x : 4*x+4]
				dst[x] = byte(min(255, luma(uint32(p[0]), uint32(p[1]), uint32(p[2]))+255-uint32(p[3])))
			}
		}
	default: // paletted, 16-bit, CMYK, gray+alpha: rare enough for the generic path
		for y := 0; y < h; y++ {
			dst := g.pix[y*w : (y+1)*w]
			for x := range dst {
				r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // premultiplied, 16-bit
				l := luma(r>>8, gg>>8, bb>>8) + (0xffff-a)>>8
				dst[x] = byte(min(255, l))
			}
		}
	}
	return g
}

// luma is BT.601 luminance in 0..255, the same weights as JPEG's Y.
func luma(r, g, b uint32) uint32 { return (19595*r + 38470*g + 7471*b + 1<<15) >> 16 }

// lumSource exposes a gray image to gozxing without copying it.
type lumSource struct {
	gozxing.LuminanceSourceBase
	g *gray
}

func newLumSource(g *gray) *lumSource {
	return &lumSource{LuminanceSourceBase: gozxing.LuminanceSourceBase{Width: g.w, Height: g.h}, g: g}
}

func (s *lumSource) GetRow(y int, row []byte) ([]byte, error) {
	if y < 0 || y >= s.g.h {
		return row, fmt.Errorf("verify: row %d outside the image", y)
	}
	if len(row) < s.g.w {
		row = make([]byte, s.g.w)
	}
	copy(row, s.g.pix[y*s.g.w:(y+1)*s.g.w])
	return row, nil
}

// GetMatrix returns the pixels themselves; gozxing only reads them.
func (s *lumSource) GetMatrix() []byte { return s.g.pix }

func (s *lumSource) Invert() gozxing.LuminanceSource { return gozxing.NewInvertedLuminanceSource(s) }

func (s *lumSource) String() string { return gozxing.LuminanceSourceString(s) }
