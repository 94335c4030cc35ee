package docgen

import (
	"image"
	"image/color"
	"math"
)

// photo2Inch is a 2-inch ID photo: the face on a plain white, blue or red ground, portrait
// 358x441 or larger (ratio 0.81: 35x45 mm... the common 2-inch print is 35x49, ratio 0.714).
func (g *gen) photo2Inch() (*image.RGBA, Truth) {
	W := 358 + g.r.IntN(300)
	H := int(float64(W) / 0.714)
	bgs := []color.RGBA{{255, 255, 255, 255}, {67, 142, 219, 255}, {214, 34, 42, 255}, {60, 130, 210, 255}}
	bg := bgs[g.r.IntN(len(bgs))]
	img := newRGBA(W, H, bg)
	// face image scaled to the width, a little jitter in scale and position
	fw := float64(W) * (0.88 + g.r.Float64()*0.2)
	fh := fw * 400 / 320
	x0 := (float64(W)-fw)/2 + (g.r.Float64()-0.5)*float64(W)*0.06
	y0 := float64(H) - fh + g.r.Float64()*float64(H)*0.04
	mirror := g.r.IntN(2) == 0
	kb := 0.9 + g.r.Float64()*0.2
	kr, kg, kbl := kb*(0.97+g.r.Float64()*0.06), kb*(0.97+g.r.Float64()*0.06), kb*(0.97+g.r.Float64()*0.06)
	src := g.face
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	for y := max(0, int(y0)); y < min(H, int(y0+fh)); y++ {
		v := (float64(y) - y0) / fh
		i := img.PixOffset(max(0, int(x0)), y)
		for x := max(0, int(x0)); x < min(W, int(x0+fw)); x++ {
			u := (float64(x) - x0) / fw
			su := u
			if mirror {
				su = 1 - u
			}
			r, gg, b := bilinear(src, su*sw-0.5, v*sh-0.5)
			fr, fgc, fb := float64(r)*kr, float64(gg)*kg, float64(b)*kbl
			// the photo's white ground becomes the chosen colour, softly at the hair line;
			// the white shirt at the bottom stays
			mn := math.Min(float64(r), math.Min(float64(gg), float64(b)))
			mx := math.Max(float64(r), math.Max(float64(gg), float64(b)))
			t := 0.0
			shirt := v > 0.8 && math.Abs(su-0.5) < 0.27+(v-0.8)*1.6
			if mn > 180 && mx-mn < 28 && !shirt {
				t = math.Min(1, (mn-180)/30)
			}
			p := img.Pix
			p[i] = clamp8(fr*(1-t) + float64(bg.R)*t)
			p[i+1] = clamp8(fgc*(1-t) + float64(bg.G)*t)
			p[i+2] = clamp8(fb*(1-t) + float64(bg.B)*t)
			i += 4
		}
	}
	return img, Truth{Faces: 1}
}

// scene paints an outdoor picture: sky gradient, ground, buildings, trees, a sun; it returns
// the horizon's y.
func (g *gen) scene(W, H int) (*image.RGBA, float64) {
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	hz := float64(H) * (0.42 + g.r.Float64()*0.2)
	sky0 := [3]float64{60 + g.r.Float64()*60, 120 + g.r.Float64()*60, 200 + g.r.Float64()*50}
	sky1 := [3]float64{200 + g.r.Float64()*50, 220 + g.r.Float64()*30, 240}
	gr0 := [3]float64{60 + g.r.Float64()*80, 100 + g.r.Float64()*80, 40 + g.r.Float64()*60}
	if g.r.IntN(3) == 0 { // paved square instead of grass
		gr0 = [3]float64{140 + g.r.Float64()*40, 135 + g.r.Float64()*40, 130 + g.r.Float64()*40}
	}
	p := img.Pix
	for y := 0; y < H; y++ {
		var c [3]float64
		fy := float64(y)
		if fy < hz {
			t := fy / hz
			for k := range c {
				c[k] = sky0[k]*(1-t) + sky1[k]*t
			}
		} else {
			t := (fy - hz) / (float64(H) - hz)
			for k := range c {
				c[k] = gr0[k] * (0.8 + 0.4*t)
			}
		}
		i := img.PixOffset(0, y)
		for x := 0; x < W; x++ {
			p[i], p[i+1], p[i+2], p[i+3] = uint8(c[0]), uint8(c[1]), uint8(c[2]), 255
			i += 4
		}
	}
	fw, fh := float64(W), float64(H)
	if g.r.IntN(2) == 0 {
		sx, sy := g.r.Float64()*fw, g.r.Float64()*hz*0.5
		fillPath(img, ellipse(sx, sy, fh*0.05, fh*0.05), color.RGBA{255, 240, 200, 255})
	}
	// clouds
	for n := g.r.IntN(4); n > 0; n-- {
		cx, cy := g.r.Float64()*fw, g.r.Float64()*hz*0.6
		for k := 0; k < 4; k++ {
			fillPath(img, ellipse(cx+float64(k)*fh*0.04, cy+g.r.Float64()*fh*0.02, fh*0.05, fh*0.03), color.RGBA{245, 248, 252, 255})
		}
	}
	// buildings on the horizon
	x := -g.r.Float64() * fw * 0.05
	for x < fw {
		bw := fw * (0.05 + g.r.Float64()*0.12)
		bh := hz * (0.2 + g.r.Float64()*0.6)
		v := uint8(120 + g.r.IntN(110))
		c := color.RGBA{v, uint8(int(v) - g.r.IntN(20)), uint8(int(v) - g.r.IntN(30)), 255}
		if g.r.IntN(3) > 0 {
			fillRect(img, image.Rect(int(x), int(hz-bh), int(x+bw), int(hz)+1), c, 1)
			// windows
			win := color.RGBA{c.R / 2, c.G / 2, uint8(min(255, int(c.B)/2+60)), 255}
			ws := math.Max(4, bw/6)
			for wy := hz - bh + ws; wy < hz-ws; wy += ws * 1.8 {
				for wx := x + ws*0.6; wx < x+bw-ws; wx += ws * 1.6 {
					fillRect(img, image.Rect(int(wx), int(wy), int(wx+ws*0.8), int(wy+ws)), win, 0.8)
				}
			}
		}
		x += bw + fw*g.r.Float64()*0.05
	}
	// trees
	for n := 2 + g.r.IntN(6); n > 0; n-- {
		tx := g.r.Float64() * fw
		ty := hz + g.r.Float64()*(fh-hz)*0.3
		th := fh * (0.12 + g.r.Float64()*0.25)
		fillRect(img, image.Rect(int(tx-th*0.04), int(ty-th*0.5), int(tx+th*0.04), int(ty)), color.RGBA{100, 70, 40, 255}, 1)
		gc := color.RGBA{uint8(30 + g.r.IntN(60)), uint8(90 + g.r.IntN(80)), uint8(30 + g.r.IntN(50)), 255}
		fillPath(img, ellipse(tx, ty-th*0.65, th*0.28, th*0.35), gc)
	}
	noise(img, 3+g.r.IntN(5), g.r.Uint64())
	return img, hz
}

// lifePhoto is a scene with one to three people (the face, scaled to 15-35 % of the short
// side, with a body below it).
func (g *gen) lifePhoto() (*image.RGBA, Truth) {
	W := 1100 + g.r.IntN(900)
	H := W * 3 / 4
	if g.r.IntN(3) == 0 {
		H = W * 9 / 16
	}
	img, hz := g.scene(W, H)
	n := 1 + g.r.IntN(3)
	slot := float64(W) / float64(n)
	for i := 0; i < n; i++ {
		sz := float64(H) * (0.15 + g.r.Float64()*0.2) // face height
		if sz > slot*0.8 {
			sz = slot * 0.8
		}
		fw := sz * 0.8
		cx := slot*(float64(i)+0.5) + (g.r.Float64()-0.5)*(slot-fw)*0.5
		top := math.Min(hz-sz*0.6+g.r.Float64()*sz*0.5, float64(H)-sz*1.6)
		// body: shoulders and torso in a shirt colour
		sc := color.RGBA{uint8(g.r.IntN(220)), uint8(g.r.IntN(220)), uint8(g.r.IntN(220)), 255}
		by := top + sz*0.9
		fillPath(img, path{{cx - fw*0.35, by}, {cx + fw*0.35, by}, {cx + fw*0.85, by + sz*0.4}, {cx + fw*0.9, float64(H) + 1}, {cx - fw*0.9, float64(H) + 1}, {cx - fw*0.85, by + sz*0.4}}, sc)
		dr := image.Rect(int(cx-fw/2), int(top), int(cx+fw/2), int(top+sz))
		scaleInto(img, g.face, dr, g.r.IntN(2) == 0, insetOval(0.12, 0.02, 0.2))
	}
	return img, Truth{Faces: n}
}

// insetOval keeps an ellipse inset by ix, iy (shares of the box) with a soft edge of width
// edge, so little of the photo's white ground comes along.
func insetOval(ix, iy, edge float64) func(u, v float64) float64 {
	o := softOval(edge)
	return func(u, v float64) float64 {
		u = (u - ix) / (1 - 2*ix)
		v = (v - iy) / (1 - 2*iy)
		if u < 0 || u > 1 || v < 0 || v > 1 {
			return 0
		}
		return o(u, v)
	}
}

// otherPhoto is a picture with no face and no document: a landscape, a screenshot-like
// layout of blocks, or objects on a table.
func (g *gen) otherPhoto() (*image.RGBA, Truth, string) {
	switch g.r.IntN(3) {
	case 0:
		W := 1100 + g.r.IntN(900)
		img, _ := g.scene(W, W*3/4)
		return img, Truth{}, "scene"
	case 1:
		W := 720 + g.r.IntN(360)
		H := W * 2
		img := newRGBA(W, H, color.RGBA{244, 245, 247, 255})
		accent := color.RGBA{uint8(g.r.IntN(200)), uint8(g.r.IntN(200)), uint8(55 + g.r.IntN(200)), 255}
		fillRect(img, image.Rect(0, 0, W, H/14), accent, 1)
		y := H / 12
		for y < H-H/10 {
			ch := H/12 + g.r.IntN(H/8)
			fillRect(img, image.Rect(W/24, y, W-W/24, y+ch), white, 1)
			// an icon and grey bars where text would be
			r := float64(ch) * 0.25
			fillPath(img, ellipse(float64(W/24)+r*1.6, float64(y)+r*1.6, r, r), color.RGBA{uint8(g.r.IntN(255)), uint8(g.r.IntN(255)), uint8(g.r.IntN(255)), 255})
			for k := 0; k < 3; k++ {
				bw := int(float64(W) * (0.3 + g.r.Float64()*0.4))
				by := y + ch/5 + k*ch/4
				fillRect(img, image.Rect(W/24+int(r*3.4), by, W/24+int(r*3.4)+bw, by+ch/10), color.RGBA{200, 202, 206, 255}, 1)
			}
			y += ch + H/60
		}
		fillRect(img, image.Rect(0, H-H/12, W, H), white, 1)
		for k := 0; k < 4; k++ {
			fillPath(img, ellipse(float64(W)*(0.125+0.25*float64(k)), float64(H)-float64(H)/24, float64(H)/70, float64(H)/70), color.RGBA{150, 150, 160, 255})
		}
		return img, Truth{}, "screenshot"
	default:
		W := 1100 + g.r.IntN(900)
		H := W * 3 / 4
		img := image.NewRGBA(image.Rect(0, 0, W, H))
		g.desk(img)
		for n := 2 + g.r.IntN(5); n > 0; n-- {
			c := color.RGBA{uint8(g.r.IntN(255)), uint8(g.r.IntN(255)), uint8(g.r.IntN(255)), 255}
			cx, cy := g.r.Float64()*float64(W), g.r.Float64()*float64(H)
			rr := float64(H) * (0.05 + g.r.Float64()*0.15)
			fillPath(img, ellipse(cx+rr*0.1, cy+rr*0.1, rr, rr*0.9), color.RGBA{0, 0, 0, 60})
			fillPath(img, ellipse(cx, cy, rr, rr*0.9), c)
			fillPath(img, ellipse(cx-rr*0.3, cy-rr*0.3, rr*0.3, rr*0.25), color.RGBA{255, 255, 255, 70})
		}
		return img, Truth{}, "objects"
	}
}

// vehiclePhoto draws a truck at about 45°: the cab's front face towards the viewer on the
// left, its side and the cargo box receding to the right, wheels, and the plate on the front.
func (g *gen) vehiclePhoto(p Person) (*image.RGBA, Truth) {
	W := 1200 + g.r.IntN(800)
	H := W * 3 / 4
	img, hz := g.scene(W, H)
	fw, fh := float64(W), float64(H)
	// road
	road := color.RGBA{70, 72, 76, 255}
	fillPath(img, path{{0, hz + (fh-hz)*0.15}, {fw, hz + (fh-hz)*0.05}, {fw, fh}, {0, fh}}, road)
	for k := 0; k < 6; k++ {
		x := fw * float64(k) / 6
		line(img, x, fh*0.93, x+fw*0.08, fh*0.92, fh*0.012, color.RGBA{230, 230, 220, 255})
	}
	s := fw * (0.7 + g.r.Float64()*0.15) // truck length on screen
	ox := fw*0.05 + g.r.Float64()*(fw-s)*0.6
	base := fh * (0.82 + g.r.Float64()*0.06) // ground line under the front wheels
	cabW := s * 0.3                          // front face width
	cabH := s * 0.36
	side := s * 0.78 // receding side length
	rise := s * 0.12 // how much the side rises as it recedes
	cabCol := []color.RGBA{{200, 30, 30, 255}, {230, 230, 235, 255}, {30, 80, 160, 255}, {240, 170, 30, 255}, {40, 120, 70, 255}}[g.r.IntN(5)]
	dark := color.RGBA{cabCol.R / 2, cabCol.G / 2, cabCol.B / 2, 255}
	fx0, fx1 := ox, ox+cabW
	// cargo box: long side
	boxCol := []color.RGBA{{210, 210, 214, 255}, {180, 190, 200, 255}, {90, 100, 110, 255}, {200, 190, 160, 255}}[g.r.IntN(4)]
	bTop := base - cabH*1.15
	fillPath(img, path{{fx1 + cabW*0.35, bTop}, {fx1 + side, bTop - rise}, {fx1 + side, base - rise - cabH*0.1}, {fx1 + cabW*0.35, base - cabH*0.1}}, boxCol)
	line(img, fx1+cabW*0.35, bTop, fx1+side, bTop-rise, fh*0.004, color.RGBA{boxCol.R / 2, boxCol.G / 2, boxCol.B / 2, 255})
	// cab side
	fillPath(img, path{{fx1, base - cabH}, {fx1 + cabW*0.45, base - cabH - rise*0.2}, {fx1 + cabW*0.45, base - rise*0.2}, {fx1, base}}, dark)
	// cab front face and windscreen
	fillPath(img, path{{fx0, base - cabH}, {fx1, base - cabH}, {fx1, base}, {fx0, base}}, cabCol)
	fillPath(img, path{{fx0 + cabW*0.06, base - cabH*0.93}, {fx1 - cabW*0.06, base - cabH*0.93}, {fx1 - cabW*0.04, base - cabH*0.55}, {fx0 + cabW*0.04, base - cabH*0.55}}, color.RGBA{120, 160, 190, 255})
	// grille and bumper
	fillRect(img, image.Rect(int(fx0+cabW*0.15), int(base-cabH*0.45), int(fx1-cabW*0.15), int(base-cabH*0.25)), color.RGBA{50, 50, 55, 255}, 1)
	fillRect(img, image.Rect(int(fx0), int(base-cabH*0.12), int(fx1), int(base)), color.RGBA{60, 60, 64, 255}, 1)
	// wheels
	wr := cabH * 0.17
	for _, wx := range []float64{fx1 + cabW*0.25, fx1 + side*0.55, fx1 + side*0.8} {
		t := (wx - fx1) / side
		wy := base - rise*t + wr*0.3
		fillPath(img, ellipse(wx, wy, wr*0.55, wr), color.RGBA{25, 25, 25, 255})
		fillPath(img, ellipse(wx, wy, wr*0.25, wr*0.45), color.RGBA{150, 150, 150, 255})
	}
	// plate: blue with white text for small, yellow with black for large trucks, green for new energy
	plateW := cabW * 0.86
	plateH := plateW * 140 / 440
	px0 := fx0 + (cabW-plateW)/2
	py0 := base - cabH*0.24
	bg, fg := color.RGBA{20, 70, 180, 255}, white
	if g.r.IntN(2) == 0 {
		bg, fg = color.RGBA{250, 200, 20, 255}, color.RGBA{10, 10, 10, 255}
	}
	if len([]rune(p.Plate)) == 8 {
		bg, fg = color.RGBA{120, 200, 120, 255}, color.RGBA{10, 10, 10, 255}
	}
	fillRect(img, image.Rect(int(px0), int(py0), int(px0+plateW), int(py0+plateH)), bg, 1)
	frame(img, image.Rect(int(px0+plateH*0.06), int(py0+plateH*0.06), int(px0+plateW-plateH*0.06), int(py0+plateH*0.94)), int(math.Max(1, plateH*0.04)), fg, 1)
	fi := g.r.IntN(len(g.fs.cjk))
	f := g.fs.face(fi, 0, plateH*0.7)
	tw := f.width(p.Plate, plateH*0.05)
	if tw > plateW*0.88 { // fit the plate
		f = g.fs.face(fi, 0, plateH*0.7*plateW*0.88/tw)
		tw = f.width(p.Plate, plateH*0.05)
	}
	f.draw(img, px0+(plateW-tw)/2, py0+plateH*0.76, p.Plate, fg, plateH*0.05)
	return img, Truth{Fields: map[string]string{FieldPlate: p.Plate}}
}
