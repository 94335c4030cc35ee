package docgen

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// degrade turns a flat picture into what a phone uploads. Documents are laid on a desk
// (wood, cloth or plain texture), turned by 2-8°, warped in perspective, unevenly lit, blurred,
// noised and recompressed; about 15 % are turned a quarter, half or three-quarter turn as a
// whole. Photos get light, blur, noise and recompression, and sometimes are photographed on a
// desk like a print.
func (g *gen) degrade(src *image.RGBA, kind photoKind) (*image.RGBA, []string, int) {
	var deg []string
	onDesk := kind == isDocument || g.r.IntN(4) == 0
	sigma := 1.5 * math.Pow(g.r.Float64(), 1.3) // sharp photos more often than soft ones
	var out *image.RGBA
	if onDesk {
		// blur the flat document (smaller than the photo) before it is warped: focus blur
		if sigma >= 0.3 {
			deg = append(deg, fmt.Sprintf("blur%.1f", blur(src, sigma)))
		}
		if kind == isDocument && g.r.IntN(5) == 0 {
			g.glare(src)
			deg = append(deg, "glare")
		}
		out = g.onDesk(src, &deg)
	} else {
		out = src
		if sigma >= 0.3 {
			deg = append(deg, fmt.Sprintf("blur%.1f", blur(out, sigma)))
		}
	}
	lit := g.r.IntN(5) > 0
	if lit {
		deg = append(deg, "light")
	}
	g.lightNoise(out, lit, 2+g.r.IntN(5))
	if g.r.IntN(100) < 15 {
		turns := 1 + g.r.IntN(3)
		out = turn(out, turns)
		deg = append(deg, fmt.Sprintf("rot%d", 90*turns))
	}
	q := 60 + g.r.IntN(31)
	deg = append(deg, fmt.Sprintf("jpeg%d", q))
	return out, deg, q
}

// glare whitens a soft oval of the flat document, as a lamp reflects on a laminated card.
func (g *gen) glare(img *image.RGBA) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	cx, cy := g.r.Float64()*float64(W), g.r.Float64()*float64(H)
	rx := float64(W) * (0.08 + g.r.Float64()*0.15)
	ry := rx * (0.4 + g.r.Float64()*0.6)
	peak := 0.25 + g.r.Float64()*0.3
	b := image.Rect(int(cx-rx), int(cy-ry), int(cx+rx)+1, int(cy+ry)+1).Intersect(img.Rect)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		dy := (float64(y) - cy) / ry
		i := img.PixOffset(b.Min.X, y)
		for x := b.Min.X; x < b.Max.X; x++ {
			dx := (float64(x) - cx) / rx
			if d := dx*dx + dy*dy; d < 1 {
				blend(img.Pix, i, white, peak*(1-d)*(1-d))
			}
			i += 4
		}
	}
}

// onDesk places src, turned and in perspective, on a desk texture.
func (g *gen) onDesk(src *image.RGBA, deg *[]string) *image.RGBA {
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	cover := 0.6 + g.r.Float64()*0.3 // share of the photo's width the document takes
	landscape := sw >= sh
	aspect := 3.0 / 4
	if sw > 2*sh || sh > 1.3*sw {
		// a wide pair of pages or an A4 sheet: people fill the frame (and crop wide shots)
		cover = 0.85 + g.r.Float64()*0.1
		if sw > 2*sh {
			aspect = 9.0 / 16
		}
	}
	var ow, oh float64
	if landscape {
		ow = sw / cover
		oh = ow * aspect
		if sh/oh > 0.92 {
			oh = sh / 0.85
			ow = oh / aspect
		}
	} else {
		oh = sh / cover
		ow = oh * 3 / 4
		if sw/ow > 0.92 {
			ow = sw / 0.85
			oh = ow * 4 / 3
		}
	}
	// the long side of the photo: 1000-2400 px, smaller sizes more often (apps recompress)
	long := math.Max(ow, oh)
	want := 1000 + 1400*math.Pow(g.r.Float64(), 1.6)
	{
		k := want / long
		ow, oh = ow*k, oh*k
	}
	W, H := int(ow), int(oh)
	k := ow * cover / sw // document pixels to photo pixels
	if !landscape {
		k = oh * cover / sh
	}
	dw, dh := sw*k, sh*k
	ang := (2 + g.r.Float64()*6) * math.Pi / 180
	if g.r.IntN(2) == 0 {
		ang = -ang
	}
	*deg = append(*deg, "background", fmt.Sprintf("rotate%.1f", ang*180/math.Pi))
	// corners of the document in the photo, centred with a little slack
	cx := ow/2 + (g.r.Float64()-0.5)*(ow-dw)*0.3
	cy := oh/2 + (g.r.Float64()-0.5)*(oh-dh)*0.3
	ca, sa := math.Cos(ang), math.Sin(ang)
	corner := [4][2]float64{{-dw / 2, -dh / 2}, {dw / 2, -dh / 2}, {dw / 2, dh / 2}, {-dw / 2, dh / 2}}
	persp := g.r.IntN(10) < 7
	if persp {
		*deg = append(*deg, "perspective")
	}
	var dst [4][2]float64
	for i, c := range corner {
		x, y := c[0], c[1]
		if persp {
			// a phone held a little off-axis: one side nearer than the other
			x += (g.r.Float64() - 0.5) * dw * 0.06
			y += (g.r.Float64() - 0.5) * dh * 0.06
		}
		dst[i] = [2]float64{cx + x*ca - y*sa, cy + x*sa + y*ca}
	}
	srcPts := [4][2]float64{{0, 0}, {sw, 0}, {sw, sh}, {0, sh}}
	h := homography(dst, srcPts) // photo -> document

	out := image.NewRGBA(image.Rect(0, 0, W, H))
	g.desk(out)
	// the card lifts a little off the desk: a soft shadow offset down-right, in document pixels
	shx, shy := sw*0.006+2, sw*0.009+3
	shw := sw * 0.012
	p := out.Pix
	iw, ih := src.Rect.Dx(), src.Rect.Dy()
	for y := 0; y < H; y++ {
		fy := float64(y) + 0.5
		// numerators and denominator are linear in x: step them
		nx := h[0]*0.5 + h[1]*fy + h[2]
		ny := h[3]*0.5 + h[4]*fy + h[5]
		nd := h[6]*0.5 + h[7]*fy + h[8]
		i := out.PixOffset(0, y)
		for x := 0; x < W; x++ {
			u, v := nx/nd, ny/nd
			nx += h[0]
			ny += h[3]
			nd += h[6]
			if u >= 0.5 && v >= 0.5 && u < sw-0.5 && v < sh-0.5 {
				p[i], p[i+1], p[i+2] = bilinearFast(src, u-0.5, v-0.5, iw, ih)
			} else if u > -0.5 && v > -0.5 && u < sw+0.5 && v < sh+0.5 {
				// edge coverage in document pixels, for a smooth border
				a := math.Min(math.Min(u+0.5, sw+0.5-u), math.Min(v+0.5, sh+0.5-v))
				r, gg, b := bilinearFast(src, u-0.5, v-0.5, iw, ih)
				g.shade(p, i, u, v, shx, shy, shw, sw, sh)
				blend(p, i, color.RGBA{r, gg, b, 255}, a)
			} else if u > -shw && v > -shw && u < sw+shx+shw && v < sh+shy+shw {
				g.shade(p, i, u, v, shx, shy, shw, sw, sh)
			}
			i += 4
		}
	}
	return out
}

func bilinearFast(src *image.RGBA, x, y float64, w, h int) (uint8, uint8, uint8) {
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	x0, y0 := int(x), int(y)
	if x0 >= w-1 {
		x0, x = w-2, float64(w-1)
	}
	if y0 >= h-1 {
		y0, y = h-2, float64(h-1)
	}
	fx, fy := x-float64(x0), y-float64(y0)
	s := src.Stride
	p := src.Pix[y0*s+x0*4:]
	q := src.Pix[(y0+1)*s+x0*4:]
	w00, w10, w01, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
	r := float64(p[0])*w00 + float64(p[4])*w10 + float64(q[0])*w01 + float64(q[4])*w11
	g := float64(p[1])*w00 + float64(p[5])*w10 + float64(q[1])*w01 + float64(q[5])*w11
	b := float64(p[2])*w00 + float64(p[6])*w10 + float64(q[2])*w01 + float64(q[6])*w11
	return uint8(r + 0.5), uint8(g + 0.5), uint8(b + 0.5)
}

// desk fills img with a table top: wood grain, woven cloth, or a plain painted surface.
func (g *gen) desk(img *image.RGBA) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	p := img.Pix
	st := g.st
	switch g.r.IntN(3) {
	case 0: // wood: warm base, grain along x with slow waves
		base := [3]float64{120 + g.r.Float64()*70, 75 + g.r.Float64()*45, 35 + g.r.Float64()*30}
		f := 0.004 + g.r.Float64()*0.01
		wob := 20 + g.r.Float64()*60
		for y := 0; y < H; y++ {
			i := img.PixOffset(0, y)
			for x := 0; x < W; x++ {
				v := float64(st.at(float64(y)*f+float64(st.at(float64(x)*0.0013))*wob*f)) * 0.5
				v += float64(st.at(float64(y)*f*7.3+float64(x)*0.0004)) * 0.15
				k := 1 + 0.18*v
				p[i], p[i+1], p[i+2], p[i+3] = clamp8(base[0]*k), clamp8(base[1]*k), clamp8(base[2]*k), 255
				i += 4
			}
		}
	case 1: // cloth: weave of two thread colours
		c0 := [3]float64{60 + g.r.Float64()*150, 60 + g.r.Float64()*150, 60 + g.r.Float64()*150}
		period := 4 + g.r.Float64()*6
		for y := 0; y < H; y++ {
			i := img.PixOffset(0, y)
			sy := float64(st.at(float64(y) / period))
			for x := 0; x < W; x++ {
				sx := float64(st.at(float64(x) / period))
				k := 1 + 0.08*sx*sy + 0.04*sx
				p[i], p[i+1], p[i+2], p[i+3] = clamp8(c0[0]*k), clamp8(c0[1]*k), clamp8(c0[2]*k), 255
				i += 4
			}
		}
	default: // plain desk, grey to beige, with a soft gradient
		c0 := [3]float64{150 + g.r.Float64()*90, 150 + g.r.Float64()*80, 140 + g.r.Float64()*80}
		if g.r.IntN(3) == 0 { // dark desk: documents stand out
			c0 = [3]float64{30 + g.r.Float64()*50, 30 + g.r.Float64()*50, 35 + g.r.Float64()*50}
		}
		for y := 0; y < H; y++ {
			i := img.PixOffset(0, y)
			k := 0.9 + 0.2*float64(y)/float64(H)
			for x := 0; x < W; x++ {
				p[i], p[i+1], p[i+2], p[i+3] = clamp8(c0[0]*k), clamp8(c0[1]*k), clamp8(c0[2]*k), 255
				i += 4
			}
		}
	}
	// a few things lying about: a pen, a sheet edge
	for n := g.r.IntN(3); n > 0; n-- {
		x0, y0 := g.r.Float64()*float64(W), g.r.Float64()*float64(H)
		a := g.r.Float64() * math.Pi
		l := float64(W) * (0.1 + g.r.Float64()*0.2)
		line(img, x0, y0, x0+l*math.Cos(a), y0+l*math.Sin(a), float64(W)*0.012, color.RGBA{uint8(g.r.IntN(200)), uint8(g.r.IntN(200)), uint8(g.r.IntN(200)), 255})
	}
}

// shade darkens a desk pixel at document coordinates (u, v) by the card's shadow: the card
// rectangle moved by (shx, shy), with a soft edge of width shw.
func (g *gen) shade(p []uint8, i int, u, v, shx, shy, shw, sw, sh float64) {
	u -= shx
	v -= shy
	d := math.Max(math.Max(-u, u-sw), math.Max(-v, v-sh)) // distance outside the moved card
	if d >= shw {
		return
	}
	k := 0.55 + 0.45*math.Max(0, d)/shw
	p[i] = uint8(float64(p[i]) * k)
	p[i+1] = uint8(float64(p[i+1]) * k)
	p[i+2] = uint8(float64(p[i+2]) * k)
}

// lightNoise multiplies by a lighting field (when lit: a linear gradient from a window
// side and a vignette, a little warm or cold) and adds grey sensor noise of amplitude amp, in
// one pass.
func (g *gen) lightNoise(img *image.RGBA, lit bool, amp int) {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	a := g.r.Float64() * 2 * math.Pi
	gx, gy := math.Cos(a), math.Sin(a)
	str := 0.1 + g.r.Float64()*0.3
	vig := 0.1 + g.r.Float64()*0.35
	warm := (g.r.Float64() - 0.5) * 0.12
	if !lit {
		str, vig, warm = 0, 0, 0
	}
	seed := g.r.Uint64() | 1
	p := img.Pix
	for y := 0; y < H; y++ {
		ny := float64(y)/float64(H) - 0.5
		i := img.PixOffset(0, y)
		for x := 0; x < W; x++ {
			nx := float64(x)/float64(W) - 0.5
			k := 1 + str*(nx*gx+ny*gy) - vig*(nx*nx+ny*ny)*1.6
			kr, kg, kb := int(k*(1+warm)*256), int(k*256), int(k*(1-warm)*256)
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			d := int((seed>>40)&0xff)*(2*amp+1)>>8 - amp
			p[i] = uint8(clampi(int(p[i])*kr>>8+d, 0, 255))
			p[i+1] = uint8(clampi(int(p[i+1])*kg>>8+d, 0, 255))
			p[i+2] = uint8(clampi(int(p[i+2])*kb>>8+d, 0, 255))
			i += 4
		}
	}
}

// blur applies a Gaussian of about sigma: the kernel is the convolution of 3-tap kernels,
// full ones [1 1 1]/3 (variance 2/3 each) and one partial [a 1-2a a] for the rest of the
// variance, applied once along rows and once along columns in 16-bit fixed point. It returns
// the sigma applied.
func blur(img *image.RGBA, sigma float64) float64 {
	k := []float64{1}
	conv := func(a float64) {
		out := make([]float64, len(k)+2)
		for i, w := range k {
			out[i] += w * a
			out[i+1] += w * (1 - 2*a)
			out[i+2] += w * a
		}
		k = out
	}
	v := sigma * sigma
	for v >= 2.0/3 {
		conv(1.0 / 3)
		v -= 2.0 / 3
	}
	if v/2 > 0.01 {
		conv(v / 2)
	}
	if len(k) == 1 {
		return 0
	}
	kw := make([]uint32, len(k))
	var sum uint32
	for i, w := range k {
		kw[i] = uint32(w * 65536)
		sum += kw[i]
	}
	kw[len(k)/2] += 65536 - sum // exact unit gain
	convolve(img, kw)
	return sigma
}

// convolve applies the symmetric kernel kw (16-bit fixed point, odd length) along rows, then
// along columns (reading whole rows, to stay in cache), edges repeated.
func convolve(img *image.RGBA, kw []uint32) {
	r := len(kw) / 2
	W, H := img.Rect.Dx(), img.Rect.Dy()
	p := img.Pix
	s := img.Stride
	row := make([]uint8, (W+2*r)*4)
	for y := 0; y < H; y++ {
		line := p[y*s : y*s+W*4]
		copy(row[r*4:], line)
		for x := 0; x < r; x++ {
			copy(row[x*4:x*4+4], line[:4])
			copy(row[(W+r+x)*4:(W+r+x)*4+4], line[(W-1)*4:W*4])
		}
		for x := 0; x < W; x++ {
			var cr, cg, cb uint32
			q := row[x*4 : x*4+len(kw)*4]
			for t, w := range kw {
				cr += uint32(q[t*4]) * w
				cg += uint32(q[t*4+1]) * w
				cb += uint32(q[t*4+2]) * w
			}
			o := x * 4
			line[o], line[o+1], line[o+2] = uint8((cr+32768)>>16), uint8((cg+32768)>>16), uint8((cb+32768)>>16)
		}
	}
	src := make([]uint8, len(p))
	copy(src, p)
	acc := make([]uint32, W*4)
	for y := 0; y < H; y++ {
		clear(acc)
		for t, w := range kw {
			sl := src[clampi(y+t-r, 0, H-1)*s:]
			sl = sl[:W*4]
			for i := 0; i < W*4; i++ {
				acc[i] += uint32(sl[i]) * w
			}
		}
		dl := p[y*s : y*s+W*4]
		for i := 0; i < W*4; i += 4 {
			dl[i] = uint8((acc[i] + 32768) >> 16)
			dl[i+1] = uint8((acc[i+1] + 32768) >> 16)
			dl[i+2] = uint8((acc[i+2] + 32768) >> 16)
		}
	}
}

// turn rotates img by quarter turns clockwise.
func turn(img *image.RGBA, turns int) *image.RGBA {
	W, H := img.Rect.Dx(), img.Rect.Dy()
	var out *image.RGBA
	if turns%2 == 1 {
		out = image.NewRGBA(image.Rect(0, 0, H, W))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, W, H))
	}
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			var nx, ny int
			switch turns {
			case 1:
				nx, ny = H-1-y, x
			case 2:
				nx, ny = W-1-x, H-1-y
			default:
				nx, ny = y, W-1-x
			}
			copy(out.Pix[out.PixOffset(nx, ny):out.PixOffset(nx, ny)+4], img.Pix[img.PixOffset(x, y):img.PixOffset(x, y)+4])
		}
	}
	return out
}

// homography maps the four points from onto to (solving the 8 unknowns by elimination).
func homography(from, to [4][2]float64) [9]float64 {
	var m [8][9]float64
	for i := 0; i < 4; i++ {
		x, y := from[i][0], from[i][1]
		u, v := to[i][0], to[i][1]
		m[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		m[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := 0; c < 8; c++ {
		piv := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		m[c], m[piv] = m[piv], m[c]
		for r := 0; r < 8; r++ {
			if r == c || m[c][c] == 0 {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k < 9; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	var h [9]float64
	for i := 0; i < 8; i++ {
		h[i] = m[i][8] / m[i][i]
	}
	h[8] = 1
	return h
}
