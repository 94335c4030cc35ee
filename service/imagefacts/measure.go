package imagefacts

import (
	"image"
	"image/color"
	"math"
)

// maxSide is the long side of the normalised image the measures are computed on.
const maxSide = 1024

// Luma weights (ITU-R BT.601, as JPEG/JFIF and color.GrayModel use).
const (
	lumaR = 0.299
	lumaG = 0.587
	lumaB = 0.114
)

// Background sampling geometry and classification thresholds (documented in the package doc).
const (
	bgSideFrac       = 0.08 // side strip width / image width
	bgSideRowsFrac   = 0.70 // side strips run from the top down to this fraction of the height
	bgCornerFrac     = 0.25 // top corner width / image width
	bgCornerRowsFrac = 0.10 // top corner height / image height
	bgMaxDist        = 40   // Euclidean RGB distance to the median that still counts as uniform
	bgMinUniform     = 0.80 // fraction of sampled pixels that must be within bgMaxDist
)

type measures struct {
	sharpness  float64
	background string
}

func measure(img image.Image, background bool) measures {
	t := downscale(img, background)
	m := measures{sharpness: laplacianVariance(t.gray, t.w, t.h)}
	if background {
		m.background = classifyBackground(t)
	}
	return m
}

// thumb is the normalised image: luma always; RGB only where the background is sampled
// (elsewhere the colour planes are zero, and they stop below the lowest sampled row).
type thumb struct {
	w, h    int
	gray    []float32
	r, g, b []float32
}

// bgGeometry returns, in thumb pixels, the side strip width, the number of rows the side
// strips span, the top corner width and the number of rows the corners span.
func bgGeometry(w, h int) (side, sideRows, corner, cornerRows int) {
	frac := func(n int, f float64) int { return max(1, int(math.Round(float64(n)*f))) }
	return frac(w, bgSideFrac), frac(h, bgSideRowsFrac), frac(w, bgCornerFrac), frac(h, bgCornerRowsFrac)
}

// axis maps source indices 0..n-1 onto destination indices 0..m-1 (m ≤ n) for area-average
// resampling. Source pixel i covers [i·m/n, (i+1)·m/n) in destination units, which overlaps at
// most two destination pixels since m ≤ n: dst[i] with weight wa[i] and dst[i]+1 with wb[i].
// The weights are in destination units, so the weights into one destination pixel sum to 1.
type axis struct {
	dst    []int32
	wa, wb []float32
}

func newAxis(n, m int) axis {
	ax := axis{dst: make([]int32, n), wa: make([]float32, n), wb: make([]float32, n)}
	for i := 0; i < n; i++ {
		// Integer arithmetic keeps the boundaries exact (i·m is far below overflow).
		lo, hi := i*m, (i+1)*m // in units of 1/n destination pixels
		d := lo / n
		edge := (d + 1) * n
		if hi > edge && d+1 < m {
			ax.wa[i], ax.wb[i] = float32(edge-lo)/float32(n), float32(hi-edge)/float32(n)
		} else {
			ax.wa[i] = float32(hi-lo) / float32(n)
		}
		ax.dst[i] = int32(d)
	}
	return ax
}

// accum8 adds a row of 8-bit values, resampled horizontally, into h (len ≥ m+1).
func (ax *axis) accum8(h []float32, row []uint8) {
	dst, wa, wb := ax.dst[:len(row)], ax.wa[:len(row)], ax.wb[:len(row)]
	for i, v := range row {
		f, d := float32(v), dst[i]
		h[d] += f * wa[i]
		h[d+1] += f * wb[i]
	}
}

// accumF adds source values row[x0:x1], resampled horizontally, into h (len ≥ m+1).
func (ax *axis) accumF(h []float32, row []float32, x0, x1 int) {
	dst, wa, wb := ax.dst[x0:x1], ax.wa[x0:x1], ax.wb[x0:x1]
	for i, f := range row[x0:x1] {
		d := dst[i]
		h[d] += f * wa[i]
		h[d+1] += f * wb[i]
	}
}

// pixels reads rows of a decoded image without a per-pixel interface call for the types the
// PNG and JPEG decoders produce. Coordinates are relative to the image bounds.
type pixels struct {
	// luma8 returns row y's luma as bytes when the image stores exactly that (nil otherwise).
	luma8 func(y int) []uint8
	// luma fills dst[0:w] with row y's luma.
	luma func(y int, dst []float32)
	// rgb fills r, g, b[x0:x1] with row y's colour, composited over white.
	rgb func(y, x0, x1 int, r, g, b []float32)
}

func luma(r, g, b float32) float32 { return lumaR*r + lumaG*g + lumaB*b }

func clamp255(v float32) float32 { return min(255, max(0, v)) }

func pixelsOf(img image.Image) pixels {
	bd := img.Bounds()
	w := bd.Dx()
	switch src := img.(type) {
	case *image.YCbCr: // JPEG colour
		return pixels{
			luma8: func(y int) []uint8 { o := y * src.YStride; return src.Y[o : o+w] },
			rgb: func(y, x0, x1 int, r, g, b []float32) {
				yo := y * src.YStride
				for x := x0; x < x1; x++ {
					// Full-range BT.601 (JFIF), as color.YCbCrToRGB, in float.
					ci := src.COffset(bd.Min.X+x, bd.Min.Y+y)
					yy, cb, cr := float32(src.Y[yo+x]), float32(src.Cb[ci])-128, float32(src.Cr[ci])-128
					r[x] = clamp255(yy + 1.402*cr)
					g[x] = clamp255(yy - 0.344136*cb - 0.714136*cr)
					b[x] = clamp255(yy + 1.772*cb)
				}
			},
		}
	case *image.Gray: // JPEG and PNG grayscale
		return pixels{
			luma8: func(y int) []uint8 { o := y * src.Stride; return src.Pix[o : o+w] },
			rgb: func(y, x0, x1 int, r, g, b []float32) {
				row := src.Pix[y*src.Stride:]
				for x := x0; x < x1; x++ {
					v := float32(row[x])
					r[x], g[x], b[x] = v, v, v
				}
			},
		}
	case *image.NRGBA: // PNG with alpha
		rgb := func(y, x0, x1 int, r, g, b []float32) {
			row := src.Pix[y*src.Stride:]
			for x := x0; x < x1; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				a := float32(p[3]) / 255
				white := 255 * (1 - a)
				r[x], g[x], b[x] = float32(p[0])*a+white, float32(p[1])*a+white, float32(p[2])*a+white
			}
		}
		return pixels{rgb: rgb, luma: lumaFromRGB(w, rgb)}
	case *image.RGBA: // PNG without alpha (and premultiplied in general)
		rgb := func(y, x0, x1 int, r, g, b []float32) {
			row := src.Pix[y*src.Stride:]
			for x := x0; x < x1; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				white := float32(255 - p[3])
				r[x], g[x], b[x] = float32(p[0])+white, float32(p[1])+white, float32(p[2])+white
			}
		}
		return pixels{rgb: rgb, luma: lumaFromRGB(w, rgb)}
	case *image.Paletted: // PNG palette
		// Indices beyond the palette read as opaque black, as the PNG decoder pads palettes.
		var lr, lg, lb, ll [256]float32
		for i := range 256 {
			c := color.Color(color.Black)
			if i < len(src.Palette) && src.Palette[i] != nil {
				c = src.Palette[i]
			}
			lr[i], lg[i], lb[i] = overWhite(c)
			ll[i] = luma(lr[i], lg[i], lb[i])
		}
		return pixels{
			luma: func(y int, dst []float32) {
				for x, i := range src.Pix[y*src.Stride : y*src.Stride+w] {
					dst[x] = ll[i]
				}
			},
			rgb: func(y, x0, x1 int, r, g, b []float32) {
				row := src.Pix[y*src.Stride:]
				for x := x0; x < x1; x++ {
					i := row[x]
					r[x], g[x], b[x] = lr[i], lg[i], lb[i]
				}
			},
		}
	}
	// Rare types (16-bit PNG, CMYK JPEG): one call per pixel, without allocating a color.Color
	// when the image offers RGBA64At.
	var at func(x, y int) (r, g, b float32)
	if src, ok := img.(image.RGBA64Image); ok {
		at = func(x, y int) (r, g, b float32) {
			c := src.RGBA64At(bd.Min.X+x, bd.Min.Y+y)
			white := float32(0xffff - uint32(c.A))
			return (float32(c.R) + white) / 257, (float32(c.G) + white) / 257, (float32(c.B) + white) / 257
		}
	} else {
		at = func(x, y int) (r, g, b float32) { return overWhite(img.At(bd.Min.X+x, bd.Min.Y+y)) }
	}
	rgb := func(y, x0, x1 int, r, g, b []float32) {
		for x := x0; x < x1; x++ {
			r[x], g[x], b[x] = at(x, y)
		}
	}
	return pixels{rgb: rgb, luma: lumaFromRGB(w, rgb)}
}

// lumaFromRGB derives a luma row reader from a colour row reader.
func lumaFromRGB(w int, rgb func(y, x0, x1 int, r, g, b []float32)) func(y int, dst []float32) {
	r, g, b := make([]float32, w), make([]float32, w), make([]float32, w)
	return func(y int, dst []float32) {
		rgb(y, 0, w, r, g, b)
		for x := range dst[:w] {
			dst[x] = luma(r[x], g[x], b[x])
		}
	}
}

// overWhite converts c to 0–255 RGB composited over white.
func overWhite(c color.Color) (r, g, b float32) {
	cr, cg, cb, ca := c.RGBA() // premultiplied, 16-bit
	white := float32(0xffff - ca)
	return (float32(cr) + white) / 257, (float32(cg) + white) / 257, (float32(cb) + white) / 257
}

// downscale builds the normalised image in one pass over the source rows: luma for every
// pixel, and, when colour is wanted, RGB only for the source pixels that feed the background
// sample region (decoding dominates; converting all 12 MP to RGB would add to it for nothing).
func downscale(img image.Image, colour bool) *thumb {
	bd := img.Bounds()
	w, h := bd.Dx(), bd.Dy()
	ow, oh := w, h
	if long := max(w, h); long > maxSide {
		ow = max(1, (w*maxSide+long/2)/long)
		oh = max(1, (h*maxSide+long/2)/long)
	}
	t := &thumb{w: ow, h: oh, gray: make([]float32, ow*oh)}
	ax, ay := newAxis(w, ow), newAxis(h, oh)
	px := pixelsOf(img)

	hrow := make([]float32, ow+1) // +1: accum writes d+1 with a zero weight at the last pixel
	var frow []float32
	if px.luma8 == nil {
		frow = make([]float32, w)
	}
	var side, sideRows, corner, cornerRows int
	var rs, gs, bs, hr, hg, hb []float32
	if colour {
		side, sideRows, corner, cornerRows = bgGeometry(ow, oh)
		// Only the rows the background is sampled from (+1: addRow also feeds row d+1).
		n := ow * min(oh, max(sideRows, cornerRows)+1)
		t.r, t.g, t.b = make([]float32, n), make([]float32, n), make([]float32, n)
		rs, gs, bs = make([]float32, w), make([]float32, w), make([]float32, w)
		hr, hg, hb = make([]float32, ow+1), make([]float32, ow+1), make([]float32, ow+1)
	}
	// addRow adds a horizontally resampled row into destination row d (and d+1) of plane p.
	addRow := func(p, hrow []float32, y int) {
		d, wa, wb := int(ay.dst[y]), ay.wa[y], ay.wb[y]
		out := p[d*ow : (d+1)*ow]
		for x, v := range hrow[:ow] {
			out[x] += v * wa
		}
		if wb != 0 {
			out = p[(d+1)*ow : (d+2)*ow]
			for x, v := range hrow[:ow] {
				out[x] += v * wb
			}
		}
	}

	for y := 0; y < h; y++ {
		clear(hrow)
		if px.luma8 != nil {
			ax.accum8(hrow, px.luma8(y))
		} else {
			px.luma(y, frow)
			ax.accumF(hrow, frow, 0, w)
		}
		addRow(t.gray, hrow, y)

		if !colour {
			continue
		}
		// Destination columns needed for the rows this source row feeds; the width shrinks
		// downwards (corners, then side strips), so row dst[y] needs the most.
		k := 0
		switch d := int(ay.dst[y]); {
		case d < cornerRows:
			k = max(corner, side)
		case d < sideRows:
			k = side
		}
		if k == 0 {
			continue
		}
		// Source columns feeding destination columns [0,k) and [ow-k,ow), with a pixel of slack.
		l1 := min(w, int(math.Ceil(float64(k)*float64(w)/float64(ow)))+1)
		r0 := max(0, int(float64(ow-k)*float64(w)/float64(ow))-1)
		spans := [][2]int{{0, l1}, {r0, w}}
		if l1 >= r0 { // the regions meet: one span over the whole row
			spans = [][2]int{{0, w}}
		}
		clear(hr)
		clear(hg)
		clear(hb)
		for _, s := range spans {
			px.rgb(y, s[0], s[1], rs, gs, bs)
			ax.accumF(hr, rs, s[0], s[1])
			ax.accumF(hg, gs, s[0], s[1])
			ax.accumF(hb, bs, s[0], s[1])
		}
		addRow(t.r, hr, y)
		addRow(t.g, hg, y)
		addRow(t.b, hb, y)
	}
	return t
}

// laplacianVariance is the population variance of the 4-neighbour Laplacian over the interior
// pixels of p (w×h); 0 when there is no interior.
func laplacianVariance(p []float32, w, h int) float64 {
	if w < 3 || h < 3 {
		return 0
	}
	var sum, sum2 float64
	for y := 1; y < h-1; y++ {
		up, row, dn := p[(y-1)*w:y*w], p[y*w:(y+1)*w], p[(y+1)*w:(y+2)*w]
		var s, s2 float64
		for x := 1; x < w-1; x++ {
			l := float64(up[x] + dn[x] + row[x-1] + row[x+1] - 4*row[x])
			s += l
			s2 += l * l
		}
		sum += s
		sum2 += s2
	}
	n := float64((w - 2) * (h - 2))
	mean := sum / n
	return max(0, sum2/n-mean*mean)
}

// classifyBackground names the background colour of an ID photo from the border region of t
// (see the package doc for the region and the thresholds).
func classifyBackground(t *thumb) string {
	side, sideRows, corner, cornerRows := bgGeometry(t.w, t.h)
	var hist [3][256]int
	var idx []int // sampled pixel offsets
	for y := 0; y < min(t.h, max(sideRows, cornerRows)); y++ {
		k := 0
		if y < sideRows {
			k = side
		}
		if y < cornerRows {
			k = max(k, corner)
		}
		for x := 0; x < t.w; x++ {
			if x >= k && x < t.w-k {
				x = t.w - k - 1 // jump over the middle
				continue
			}
			i := y*t.w + x
			idx = append(idx, i)
			hist[0][quant(t.r[i])]++
			hist[1][quant(t.g[i])]++
			hist[2][quant(t.b[i])]++
		}
	}
	if len(idx) == 0 {
		return "other"
	}
	var med [3]float32
	for c := range hist {
		med[c] = float32(median(&hist[c], len(idx)))
	}
	near := 0
	for _, i := range idx {
		dr, dg, db := t.r[i]-med[0], t.g[i]-med[1], t.b[i]-med[2]
		if dr*dr+dg*dg+db*db <= bgMaxDist*bgMaxDist {
			near++
		}
	}
	if float64(near) < bgMinUniform*float64(len(idx)) {
		return "other"
	}
	return colourName(float64(med[0]), float64(med[1]), float64(med[2]))
}

func quant(v float32) int { return int(clamp255(v) + 0.5) }

// median returns the lower median of n values given as a 256-bin histogram.
func median(h *[256]int, n int) int {
	seen := 0
	for v, c := range h {
		seen += c
		if 2*seen >= n {
			return v
		}
	}
	return 255
}

// colourName classifies a 0–255 RGB colour in HSV.
func colourName(r, g, b float64) string {
	hi, lo := max(r, g, b), min(r, g, b)
	v := hi / 255
	s := 0.0
	if hi > 0 {
		s = (hi - lo) / hi
	}
	var hue float64 // degrees; 0 for greys, which the saturation tests reject anyway
	if d := hi - lo; d > 0 {
		switch hi {
		case r:
			hue = 60 * math.Mod((g-b)/d, 6)
		case g:
			hue = 60 * ((b-r)/d + 2)
		default:
			hue = 60 * ((r-g)/d + 4)
		}
		if hue < 0 {
			hue += 360
		}
	}
	switch {
	case v >= 0.80 && s <= 0.15:
		return "white"
	case hue >= 190 && hue <= 250 && s >= 0.30 && v >= 0.30:
		return "blue"
	case (hue <= 15 || hue >= 340) && s >= 0.40 && v >= 0.30:
		return "red"
	}
	return "other"
}
