package docgen

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// Pixel helpers work on *image.RGBA directly (Pix slices), since per-pixel interface calls
// would make a 4-megapixel photo take seconds.

func newRGBA(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	p := img.Pix
	for i := 0; i < len(p); i += 4 {
		p[i], p[i+1], p[i+2], p[i+3] = c.R, c.G, c.B, 255
	}
	return img
}

func clamp8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

func clampi(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// blend puts c with opacity a (0..1) over pixel i.
func blend(p []uint8, i int, c color.RGBA, a float64) {
	p[i] = uint8(float64(p[i])*(1-a) + float64(c.R)*a)
	p[i+1] = uint8(float64(p[i+1])*(1-a) + float64(c.G)*a)
	p[i+2] = uint8(float64(p[i+2])*(1-a) + float64(c.B)*a)
}

// fillRect blends c at opacity a over the rectangle.
func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA, a float64) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := img.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x++ {
			blend(img.Pix, i, c, a)
			i += 4
		}
	}
}

// frame draws a rectangle outline of width w.
func frame(img *image.RGBA, r image.Rectangle, w int, c color.RGBA, a float64) {
	if w < 1 {
		w = 1
	}
	fillRect(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), c, a)
	fillRect(img, image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), c, a)
	fillRect(img, image.Rect(r.Min.X, r.Min.Y+w, r.Min.X+w, r.Max.Y-w), c, a)
	fillRect(img, image.Rect(r.Max.X-w, r.Min.Y+w, r.Max.X, r.Max.Y-w), c, a)
}

// sinTable makes the guilloche patterns cheap: one lookup instead of math.Sin per pixel.
type sinTable [1024]float32

func newSinTable() *sinTable {
	var t sinTable
	for i := range t {
		t[i] = float32(math.Sin(2 * math.Pi * float64(i) / 1024))
	}
	return &t
}

// at is sin(2π·v) for v in turns.
func (t *sinTable) at(v float64) float32 {
	return t[int(v*1024)&1023]
}

// guilloche tints img with a security-print background: a vertical colour gradient from c0 to
// c1 and fine interfering wave lines in line colour lc.
func guilloche(img *image.RGBA, c0, c1, lc color.RGBA, period, amp, phase float64, st *sinTable) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	p := img.Pix
	for y := 0; y < h; y++ {
		t := float64(y) / float64(h)
		r0 := float64(c0.R)*(1-t) + float64(c1.R)*t
		g0 := float64(c0.G)*(1-t) + float64(c1.G)*t
		b0 := float64(c0.B)*(1-t) + float64(c1.B)*t
		i := img.PixOffset(0, y)
		fy := float64(y) / period
		for x := 0; x < w; x++ {
			fx := float64(x) / period
			v := st.at(fx+amp*float64(st.at(fy*0.37+phase))) + st.at(fy+amp*float64(st.at(fx*0.29)))
			// thin lines where the sum crosses zero
			a := 0.0
			if v > -0.12 && v < 0.12 {
				a = 0.35 * (1 - math.Abs(float64(v))/0.12)
			}
			p[i] = uint8(r0*(1-a) + float64(lc.R)*a)
			p[i+1] = uint8(g0*(1-a) + float64(lc.G)*a)
			p[i+2] = uint8(b0*(1-a) + float64(lc.B)*a)
			p[i+3] = 255
			i += 4
		}
	}
}

// noise adds uniform noise of amplitude amp (grey, so it looks like sensor noise).
func noise(img *image.RGBA, amp int, seed uint64) {
	if amp <= 0 {
		return
	}
	s := seed | 1
	p := img.Pix
	for i := 0; i < len(p); i += 4 {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		d := int(s%uint64(2*amp+1)) - amp
		p[i] = uint8(clampi(int(p[i])+d, 0, 255))
		p[i+1] = uint8(clampi(int(p[i+1])+d, 0, 255))
		p[i+2] = uint8(clampi(int(p[i+2])+d, 0, 255))
	}
}

// path is a polygon in pixel coordinates, filled antialiased.
type path [][2]float64

func fillPath(img *image.RGBA, pts path, c color.RGBA) {
	if len(pts) < 3 {
		return
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range pts {
		minX, minY = math.Min(minX, q[0]), math.Min(minY, q[1])
		maxX, maxY = math.Max(maxX, q[0]), math.Max(maxY, q[1])
	}
	b := image.Rect(int(minX)-1, int(minY)-1, int(maxX)+2, int(maxY)+2).Intersect(img.Rect)
	if b.Empty() {
		return
	}
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	ox, oy := float32(b.Min.X), float32(b.Min.Y)
	z.MoveTo(float32(pts[0][0])-ox, float32(pts[0][1])-oy)
	for _, q := range pts[1:] {
		z.LineTo(float32(q[0])-ox, float32(q[1])-oy)
	}
	z.ClosePath()
	z.Draw(img, b, image.NewUniform(c), image.Point{})
}

// ellipse is the outline of an ellipse as a polygon.
func ellipse(cx, cy, rx, ry float64) path {
	n := 48
	pts := make(path, n)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / float64(n)
		pts[i] = [2]float64{cx + rx*math.Cos(a), cy + ry*math.Sin(a)}
	}
	return pts
}

// ring draws an ellipse outline of width w (a stamp's border).
func ring(img *image.RGBA, cx, cy, r, w float64, c color.RGBA) {
	n := 64
	for i := 0; i < n; i++ {
		a0 := 2 * math.Pi * float64(i) / float64(n)
		a1 := 2 * math.Pi * float64(i+1) / float64(n)
		fillPath(img, path{
			{cx + r*math.Cos(a0), cy + r*math.Sin(a0)},
			{cx + r*math.Cos(a1), cy + r*math.Sin(a1)},
			{cx + (r-w)*math.Cos(a1), cy + (r-w)*math.Sin(a1)},
			{cx + (r-w)*math.Cos(a0), cy + (r-w)*math.Sin(a0)},
		}, c)
	}
}

// star is a five-pointed star polygon.
func star(cx, cy, r float64) path {
	pts := make(path, 10)
	for i := range pts {
		rr := r
		if i%2 == 1 {
			rr = r * 0.4
		}
		a := -math.Pi/2 + math.Pi*float64(i)/5
		pts[i] = [2]float64{cx + rr*math.Cos(a), cy + rr*math.Sin(a)}
	}
	return pts
}

// line draws a thick segment.
func line(img *image.RGBA, x0, y0, x1, y1, w float64, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	fillPath(img, path{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}}, c)
}

// scaleInto draws src bilinearly scaled into the rectangle dr of dst. mask, if not nil,
// gives per destination pixel the opacity (0..1) from coordinates u, v in 0..1 of dr.
func scaleInto(dst *image.RGBA, src *image.RGBA, dr image.Rectangle, mirror bool, mask func(u, v float64) float64) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	cr := dr.Intersect(dst.Rect)
	fw, fh := float64(dr.Dx()), float64(dr.Dy())
	for y := cr.Min.Y; y < cr.Max.Y; y++ {
		v := (float64(y-dr.Min.Y) + 0.5) / fh
		sy := v*float64(sh) - 0.5
		i := dst.PixOffset(cr.Min.X, y)
		for x := cr.Min.X; x < cr.Max.X; x++ {
			u := (float64(x-dr.Min.X) + 0.5) / fw
			a := 1.0
			if mask != nil {
				a = mask(u, v)
			}
			if a > 0 {
				su := u
				if mirror {
					su = 1 - u
				}
				r, g, b := bilinear(src, su*float64(sw)-0.5, sy)
				if a >= 1 {
					dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2] = r, g, b
				} else {
					blend(dst.Pix, i, color.RGBA{r, g, b, 255}, a)
				}
			}
			i += 4
		}
	}
}

// bilinear samples src at (x, y) (pixel centres at integers), clamped to the edges.
func bilinear(src *image.RGBA, x, y float64) (uint8, uint8, uint8) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	if x > float64(w-1) {
		x = float64(w - 1)
	}
	if y > float64(h-1) {
		y = float64(h - 1)
	}
	x0, y0 := int(x), int(y)
	x1, y1 := x0+1, y0+1
	if x1 >= w {
		x1 = w - 1
	}
	if y1 >= h {
		y1 = h - 1
	}
	fx, fy := x-float64(x0), y-float64(y0)
	p := src.Pix
	s := src.Stride
	i00, i10, i01, i11 := y0*s+x0*4, y0*s+x1*4, y1*s+x0*4, y1*s+x1*4
	w00, w10, w01, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
	r := float64(p[i00])*w00 + float64(p[i10])*w10 + float64(p[i01])*w01 + float64(p[i11])*w11
	g := float64(p[i00+1])*w00 + float64(p[i10+1])*w10 + float64(p[i01+1])*w01 + float64(p[i11+1])*w11
	b := float64(p[i00+2])*w00 + float64(p[i10+2])*w10 + float64(p[i01+2])*w01 + float64(p[i11+2])*w11
	return uint8(r + 0.5), uint8(g + 0.5), uint8(b + 0.5)
}

// softOval is a mask: 1 inside an ellipse filling the unit square, fading to 0 at its edge.
func softOval(edge float64) func(u, v float64) float64 {
	return func(u, v float64) float64 {
		d := math.Hypot((u-0.5)*2, (v-0.5)*2)
		if d <= 1-edge {
			return 1
		}
		if d >= 1 {
			return 0
		}
		return (1 - d) / edge
	}
}

func toRGBA(m image.Image) *image.RGBA {
	if r, ok := m.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, m, b.Min, draw.Src)
	return out
}
