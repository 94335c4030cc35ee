package ocr

import (
	"image"
	"math"
	"slices"
)

// Recognition and classifier input geometry (PaddleOCR rec_image_shape 3,48,320 and
// cls_image_shape 3,48,192).
const (
	stripH   = 48
	recMinW  = 320  // strips are padded to at least this width, as PaddleOCR does
	recMaxW  = 1280 // longer lines are squeezed to this width
	clsW     = 192
	clsThres = 0.9
)

// strip is one text line cut out along its box and scaled to stripH pixels high: CHW data in
// BGR order, normalised (x/255 − 0.5)/0.5.
type strip struct {
	w        int
	data     []float32
	vertical bool // the box was tall: the cut was turned 90° counter-clockwise (PaddleOCR's rot90)
	flipped  bool // the angle classifier turned it 180°
}

// homography maps the unit square onto a quadrilateral: (0,0)→q[0], (1,0)→q[1], (1,1)→q[2],
// (0,1)→q[3] (Heckbert's closed form; affine when the quad is a parallelogram).
type homography struct{ a, b, c, d, e, f, g, h float64 }

func squareToQuad(q [4]pt) homography {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0].X, q[0].Y, q[1].X, q[1].Y, q[2].X, q[2].Y, q[3].X, q[3].Y
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	var g, h float64
	if math.Abs(sx) > 1e-9 || math.Abs(sy) > 1e-9 {
		dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
		if den := dx1*dy2 - dx2*dy1; math.Abs(den) > 1e-12 {
			g = (sx*dy2 - dx2*sy) / den
			h = (dx1*sy - sx*dy1) / den
		}
	}
	return homography{
		a: x1 - x0 + g*x1, b: x3 - x0 + h*x3, c: x0,
		d: y1 - y0 + g*y1, e: y3 - y0 + h*y3, f: y0,
		g: g, h: h,
	}
}

func (m homography) at(u, v float64) (float64, float64) {
	w := m.g*u + m.h*v + 1
	return (m.a*u + m.b*v + m.c) / w, (m.d*u + m.e*v + m.f) / w
}

// cropStrip cuts the box out of src along its rotation (perspective sampling, bilinear,
// border replicated) straight into a stripH-high strip, keeping the aspect ratio up to
// maxW. When the box is much larger than the strip each strip pixel averages a k×k grid of
// samples, so large text is not aliased.
func cropStrip(src *image.RGBA, box rect, maxW int) strip {
	q := box.c
	w := math.Max(dist(q[0], q[1]), dist(q[3], q[2]))
	h := math.Max(dist(q[0], q[3]), dist(q[1], q[2]))
	s := strip{}
	if h >= 1.5*w {
		// PaddleOCR turns tall crops 90° counter-clockwise: the old top-right corner
		// becomes the top-left.
		q = [4]pt{q[1], q[2], q[3], q[0]}
		w, h = h, w
		s.vertical = true
	}
	if h < 1 {
		h = 1
	}
	sw := int(math.Ceil(stripH * w / h))
	sw = clampInt(sw, 1, maxW)
	s.w = sw
	m := squareToQuad(q)
	k := int(math.Ceil(math.Max(h/stripH, w/float64(sw))))
	k = clampInt(k, 1, 4)
	inv := 1 / float32(k*k)
	plane := stripH * sw
	s.data = make([]float32, 3*plane)
	for y := range stripH {
		for x := range sw {
			var acc [3]float32
			for j := range k {
				v := (float64(y) + (float64(j)+0.5)/float64(k)) / stripH
				for i := range k {
					u := (float64(x) + (float64(i)+0.5)/float64(k)) / float64(sw)
					px, py := m.at(u, v)
					r, g, b := bilinear(src, px, py)
					acc[0] += b
					acc[1] += g
					acc[2] += r
				}
			}
			o := y*sw + x
			for c := range 3 {
				s.data[c*plane+o] = acc[c]*inv/127.5 - 1
			}
		}
	}
	return s
}

// bilinear samples src at (x, y) in pixel-index coordinates, clamping at the border.
func bilinear(src *image.RGBA, x, y float64) (r, g, b float32) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	x = math.Min(math.Max(x, 0), float64(w-1))
	y = math.Min(math.Max(y, 0), float64(h-1))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	p := src.Pix
	i00, i01 := y0*src.Stride+x0*4, y0*src.Stride+x1*4
	i10, i11 := y1*src.Stride+x0*4, y1*src.Stride+x1*4
	mix := func(k int) float32 {
		top := float32(p[i00+k])*(1-fx) + float32(p[i01+k])*fx
		bot := float32(p[i10+k])*(1-fx) + float32(p[i11+k])*fx
		return top*(1-fy) + bot*fy
	}
	return mix(0), mix(1), mix(2)
}

// rotate180 turns the strip upside down in place.
func (s *strip) rotate180() {
	plane := stripH * s.w
	for c := range 3 {
		slices.Reverse(s.data[c*plane : (c+1)*plane])
	}
	s.flipped = !s.flipped
}

// clsInput writes the strip as the classifier sees it into dst (3×48×192): strips wider than
// 192 are squeezed (linear in x), narrower ones padded with zeros, as PaddleOCR's
// resize_norm_img does.
func (s *strip) clsInput(dst []float32) {
	plane := stripH * s.w
	dplane := stripH * clsW
	if s.w <= clsW {
		for c := range 3 {
			for y := range stripH {
				copy(dst[c*dplane+y*clsW:c*dplane+y*clsW+s.w], s.data[c*plane+y*s.w:c*plane+(y+1)*s.w])
			}
		}
		return
	}
	f := float64(s.w) / clsW
	for x := range clsW {
		sx := (float64(x)+0.5)*f - 0.5
		x0 := clampInt(int(math.Floor(sx)), 0, s.w-1)
		x1 := min(x0+1, s.w-1)
		wx := float32(sx - math.Floor(sx))
		if sx < 0 {
			wx = 0
		}
		for c := range 3 {
			for y := range stripH {
				row := s.data[c*plane+y*s.w:]
				dst[c*dplane+y*clsW+x] = row[x0]*(1-wx) + row[x1]*wx
			}
		}
	}
}

// recInput writes the strip into a batch slot of width bw (≥ s.w), zero padded on the right.
func (s *strip) recInput(dst []float32, bw int) {
	plane := stripH * s.w
	dplane := stripH * bw
	for c := range 3 {
		for y := range stripH {
			copy(dst[c*dplane+y*bw:c*dplane+y*bw+s.w], s.data[c*plane+y*s.w:c*plane+(y+1)*s.w])
		}
	}
}
