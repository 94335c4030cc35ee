//go:build cgo

package ocr

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

// inverse of a homography (3×3 with h33 = 1 after normalisation).
func (m homography) inverse() homography {
	a, b, c, d, e, f, g, h := m.a, m.b, m.c, m.d, m.e, m.f, m.g, m.h
	A, B, C := e-f*h, -(b - c*h), b*f-c*e
	D, E, F := -(d - f*g), a-c*g, -(a*f - c*d)
	G, H, I := d*h-e*g, -(a*h - b*g), a*e-b*d
	return homography{A / I, B / I, C / I, D / I, E / I, F / I, G / I, H / I}
}

// photo puts the card into a phone-photo-like scene: a textured desk, the card in
// perspective (corners jittered), lit unevenly, blurred, then JPEG compressed.
func photo(t testing.TB, card *image.RGBA, rng *rand.Rand, w, h int) image.Image {
	cw, ch := float64(card.Rect.Dx()), float64(card.Rect.Dy())
	// card size in the photo: 70–90 % of the width
	s := (0.7 + 0.2*rng.Float64()) * float64(w) / cw
	cx, cy := float64(w)/2+rng.NormFloat64()*0.03*float64(w), float64(h)/2+rng.NormFloat64()*0.03*float64(h)
	ang := (rng.Float64()*16 - 8) * math.Pi / 180
	cos, sin := math.Cos(ang), math.Sin(ang)
	var q [4]pt
	for i, p := range []pt{{-cw / 2, -ch / 2}, {cw / 2, -ch / 2}, {cw / 2, ch / 2}, {-cw / 2, ch / 2}} {
		j := pt{rng.NormFloat64() * 0.02 * cw, rng.NormFloat64() * 0.02 * ch} // perspective
		p = p.add(j).scale(s)
		q[i] = pt{cx + cos*p.X - sin*p.Y, cy + sin*p.X + cos*p.Y}
	}
	inv := squareToQuad(q).inverse()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	desk := color.RGBA{uint8(90 + rng.IntN(80)), uint8(70 + rng.IntN(60)), uint8(50 + rng.IntN(50)), 255}
	lx, ly := rng.Float64()*float64(w), rng.Float64()*float64(h) // light centre
	for y := range h {
		for x := range w {
			u, v := inv.at(float64(x), float64(y))
			var r, g, b float32
			if u >= 0 && u <= 1 && v >= 0 && v <= 1 {
				r, g, b = bilinear(card, u*(cw-1), v*(ch-1))
			} else {
				n := float32((x*7+y*13)%17) - 8
				r, g, b = float32(desk.R)+n, float32(desk.G)+n, float32(desk.B)+n
			}
			d := math.Hypot(float64(x)-lx, float64(y)-ly) / math.Hypot(float64(w), float64(h))
			l := float32(1.05 - 0.35*d)
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = u8(r*l), u8(g*l), u8(b*l), 255
		}
	}
	if r := rng.IntN(3); r > 0 {
		out = boxBlur(out, r)
	}
	return jpegRoundTrip(t, out, 60+rng.IntN(31))
}

func u8(v float32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

var provinces = []rune("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")

// TestReadPhotos is an accuracy run over generated document photos (seeded): ID numbers and
// plates must be read exactly. It takes about a minute, so it runs only with
// ROADCHECK_OCR_EVAL=1 (ROADCHECK_OCR_EVAL_N sets the number of photos, default 20).
func TestReadPhotos(t *testing.T) {
	if os.Getenv("ROADCHECK_OCR_EVAL") != "1" {
		t.Skip("accuracy run: set ROADCHECK_OCR_EVAL=1")
	}
	n := 20
	fmt.Sscanf(os.Getenv("ROADCHECK_OCR_EVAL_N"), "%d", &n)
	f := loadFonts(t)
	for _, long := range []int{960, 1280} {
		t.Run(fmt.Sprintf("det%d", long), func(t *testing.T) {
			e := openEngine(t, long)
			rng := rand.New(rand.NewPCG(14, 1))
			okID, okPlate, okTitle := 0, 0, 0
			var total time.Duration
			for i := range n {
				id := fmt.Sprintf("41%04d%04d%02d%02d%04d", rng.IntN(10000), 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(10000))
				letters := "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
				plate := string(provinces[rng.IntN(len(provinces))]) + string(rune('A'+rng.IntN(20)))
				for range 5 {
					plate += string(letters[rng.IntN(len(letters))])
				}
				items := docItems()
				items[4].s = "公民身份号码 " + id
				items[8].s = plate
				card := render(t, f, 1500, 1000, items)
				w := 1000 + rng.IntN(2001)
				img := photo(t, card, rng, w, w*3/4)
				start := time.Now()
				lines, err := e.Read(context.Background(), img)
				if err != nil {
					t.Fatal(err)
				}
				total += time.Since(start)
				all := joined(lines)
				gotID := strings.Contains(all, id)
				gotPlate := strings.Contains(all, "|"+plate+"|")
				gotTitle := strings.Contains(all, "中华人民共和国机动车驾驶证")
				if gotID {
					okID++
				}
				if gotPlate {
					okPlate++
				}
				if gotTitle {
					okTitle++
				}
				if !gotID || !gotPlate || !gotTitle {
					t.Logf("photo %d (%d px): id %s %v, plate %s %v, title %v: %s", i, w, id, gotID, plate, gotPlate, gotTitle, all)
				}
			}
			t.Logf("det %d: ID %d/%d, plate %d/%d, title %d/%d exact; mean %v per photo", long, okID, n, okPlate, n, okTitle, n, total/time.Duration(n))
			if okID*10 < n*9 || okPlate*10 < n*9 {
				t.Errorf("fewer than 90 %% read exactly")
			}
		})
	}
}
