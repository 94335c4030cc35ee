package docgen

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

var (
	ink      = color.RGBA{28, 28, 30, 255}
	inkGrey  = color.RGBA{90, 90, 96, 255}
	stampRed = color.RGBA{206, 40, 44, 255}
	white    = color.RGBA{255, 255, 255, 255}
)

// page is a document being drawn in millimetres: s pixels per mm, (ox, oy) a layout offset
// (each sample shifts the printed fields a little against the card, as real printers do),
// ts a text scale.
type page struct {
	img        *image.RGBA
	wmm, hmm   float64
	s          float64
	ox, oy, ts float64
	g          *gen
	r          *rand.Rand
	cjk, lat   int // font indices for labels (cjk) and the value font
	vcjk       int
	faces      map[[3]int]*face
}

func (g *gen) newPage(wmm, hmm, pxWide float64) *page {
	s := pxWide / wmm
	w, h := int(wmm*s+0.5), int(hmm*s+0.5)
	p := &page{
		img: newRGBA(w, h, white), wmm: wmm, hmm: hmm, s: s, g: g, r: g.r,
		ox: g.r.Float64()*3 - 1.5, oy: g.r.Float64()*2.4 - 1.2, ts: 0.94 + g.r.Float64()*0.12,
		cjk: g.r.IntN(len(g.fs.cjk)), lat: g.r.IntN(len(g.fs.latin)),
		faces: map[[3]int]*face{},
	}
	p.vcjk = p.cjk
	if g.r.IntN(3) == 0 {
		p.vcjk = g.r.IntN(len(g.fs.cjk))
	}
	return p
}

func (p *page) px(mm float64) float64 { return mm * p.s }

func (p *page) face(sizeMM float64, value bool) *face {
	px := sizeMM * p.s * p.ts
	c := p.cjk
	if value {
		c = p.vcjk
	}
	k := [3]int{int(px * 4), c, p.lat}
	if f, ok := p.faces[k]; ok {
		return f
	}
	f := p.g.fs.face(c, p.lat, px)
	p.faces[k] = f
	return f
}

// text prints s with its baseline at (x, y) mm (shifted by the layout offset) and returns the
// end x in mm.
func (p *page) text(x, y, size float64, s string, c color.RGBA) float64 {
	return p.textSp(x, y, size, 0, s, c, false)
}

func (p *page) value(x, y, size float64, s string) float64 {
	return p.textSp(x, y, size, 0, s, ink, true)
}

func (p *page) textSp(x, y, size, spMM float64, s string, c color.RGBA, value bool) float64 {
	f := p.face(size, value)
	end := f.draw(p.img, p.px(x+p.ox), p.px(y+p.oy), s, c, p.px(spMM))
	return end/p.s - p.ox
}

// centre prints s centred on x.
func (p *page) centre(x, y, size, spMM float64, s string, c color.RGBA) {
	f := p.face(size, false)
	w := f.width(s, p.px(spMM)) / p.s
	p.textSp(x-w/2, y, size, spMM, s, c, false)
}

// wrap prints s in lines of at most wmm, lh apart, and returns the y of the last line.
func (p *page) wrap(x, y, wmm, lh, size float64, s string) float64 {
	f := p.face(size, true)
	rs := []rune(s)
	start := 0
	for start < len(rs) {
		end := start + 1
		for end < len(rs) && f.width(string(rs[start:end+1]), 0)/p.s <= wmm {
			end++
		}
		p.value(x, y, size, string(rs[start:end]))
		start = end
		if start < len(rs) {
			y += lh
		}
	}
	return y
}

// rect fills a rectangle given in mm (not shifted: borders belong to the card).
func (p *page) rect(x0, y0, x1, y1 float64, c color.RGBA, a float64) {
	fillRect(p.img, image.Rect(int(p.px(x0)), int(p.px(y0)), int(p.px(x1)), int(p.px(y1))), c, a)
}

func (p *page) frame(x0, y0, x1, y1, wmm float64, c color.RGBA) {
	frame(p.img, image.Rect(int(p.px(x0)), int(p.px(y0)), int(p.px(x1)), int(p.px(y1))), int(math.Max(1, p.px(wmm))), c, 1)
}

func (p *page) hline(x0, x1, y, wmm float64, c color.RGBA) {
	p.rect(x0, y, x1, y+math.Max(wmm, 1/p.s), c, 1)
}

func (p *page) vline(x, y0, y1, wmm float64, c color.RGBA) {
	p.rect(x, y0, x+math.Max(wmm, 1/p.s), y1, c, 1)
}

// background tints the whole page with a guilloche pattern between two colours.
func (p *page) background(c0, c1, lc color.RGBA) {
	period := p.s * (1.5 + p.r.Float64()*2.5)
	guilloche(p.img, c0, c1, lc, period, 0.5+p.r.Float64()*1.5, p.r.Float64(), p.g.st)
}

// portrait pastes the face photo into the box (mm, shifted with the layout).
func (p *page) portrait(x0, y0, x1, y1 float64) {
	dr := image.Rect(int(p.px(x0+p.ox)), int(p.px(y0+p.oy)), int(p.px(x1+p.ox)), int(p.px(y1+p.oy)))
	scaleInto(p.img, p.g.face, dr, false, nil)
}

// stamp draws a round red seal: ring, star and the authority's name in one or two lines.
func (p *page) stamp(cx, cy, rmm float64, name string) {
	c := stampRed
	c.A = 255
	x, y, r := p.px(cx+p.ox), p.px(cy+p.oy), p.px(rmm)
	alpha := 0.55 + p.r.Float64()*0.35
	b := image.Rect(int(x-r)-2, int(y-r)-2, int(x+r)+2, int(y+r)+2).Intersect(p.img.Rect)
	layer := image.NewRGBA(b) // only the seal's box: a whole-page layer costs a page of memory
	ring(layer, x, y, r, math.Max(2, r*0.07), c)
	fillPath(layer, star(x, y-r*0.05, r*0.28), c)
	size := rmm * 0.28
	f := p.face(size, false)
	w := f.width(name, 0)
	if w > r*1.55 { // the name must fit inside the ring
		size *= r * 1.55 / w
		f = p.face(size, false)
		w = f.width(name, 0)
	}
	f.draw(layer, x-w/2, y+r*0.58, name, c, 0)
	// seals are translucent ink: blend the layer where it was drawn
	for yy := b.Min.Y; yy < b.Max.Y; yy++ {
		i := p.img.PixOffset(b.Min.X, yy)
		j := layer.PixOffset(b.Min.X, yy)
		for xx := b.Min.X; xx < b.Max.X; xx++ {
			if a := layer.Pix[j+3]; a > 0 {
				blend(p.img.Pix, i, c, alpha*float64(a)/255)
			}
			i += 4
			j += 4
		}
	}
}

// watermark overprints a faint "for this use only" line, as people do before uploading.
func (p *page) watermark(text string) {
	c := color.RGBA{150, 150, 160, 255}
	layer := newRGBA(p.img.Rect.Dx(), p.img.Rect.Dy(), color.RGBA{})
	f := p.face(p.hmm*0.07, false)
	step := p.px(p.hmm * 0.28)
	for y := step * 0.7; y < float64(p.img.Rect.Dy()); y += step {
		f.draw(layer, p.px(p.wmm*0.08)+p.r.Float64()*step, y, text, c, 0)
	}
	for i := 0; i < len(layer.Pix); i += 4 {
		if a := layer.Pix[i]; a > 0 {
			blend(p.img.Pix, i, c, 0.35*float64(a)/float64(c.R))
		}
	}
}
