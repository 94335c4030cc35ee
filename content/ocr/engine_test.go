package ocr

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// assetDir is ROADCHECK_OCR_DIR or the repository's ocr-assets folder; tests that need the
// models skip when it is incomplete.
func assetDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("ROADCHECK_OCR_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "ocr-assets")
	}
	for _, f := range []string{LibraryFile, DetModel, RecModel, ClsModel, DictFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Skipf("OCR assets not found (%v): run content/ocr/assets.sh ocr-assets or set ROADCHECK_OCR_DIR", err)
		}
	}
	return dir
}

// fonts: DroidSansFallback (the CJK font the repository embeds) and Go Regular for ASCII.
type fonts struct{ cjk, latin *opentype.Font }

func loadFonts(t testing.TB) fonts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "certs", "fonts", "DroidSansFallbackFull.ttf"))
	if err != nil {
		t.Fatalf("CJK font: %v", err)
	}
	cjk, err := opentype.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	latin, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	return fonts{cjk, latin}
}

func (f fonts) faces(t testing.TB, size float64) (cjk, latin font.Face) {
	t.Helper()
	o := &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone}
	c, err := opentype.NewFace(f.cjk, o)
	if err != nil {
		t.Fatal(err)
	}
	l, err := opentype.NewFace(f.latin, o)
	if err != nil {
		t.Fatal(err)
	}
	return c, l
}

type textItem struct {
	s    string
	x, y int // baseline origin
	size float64
}

// render draws the items in black on a white w×h page, ASCII in Go Regular, the rest in the
// CJK font.
func render(t testing.TB, f fonts, w, h int, items []textItem) *image.RGBA {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{250, 250, 246, 255}), image.Point{}, draw.Src)
	for _, it := range items {
		cjk, latin := f.faces(t, it.size)
		d := &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{20, 20, 30, 255}), Dot: fixed.P(it.x, it.y)}
		for _, r := range it.s {
			d.Face = cjk
			if r < 128 {
				d.Face = latin
			}
			d.DrawString(string(r))
		}
	}
	return img
}

// docItems is a driving-licence-like page of about 1500×1000.
func docItems() []textItem {
	return []textItem{
		{"中华人民共和国机动车驾驶证", 330, 110, 64},
		{"姓名 张三", 120, 250, 40},
		{"性别 男", 700, 250, 40},
		{"住址 河南省郑州市金水区花园路100号", 120, 350, 40},
		{"公民身份号码 410102198001011234", 120, 450, 40},
		{"准驾车型 A2", 120, 550, 40},
		{"初次领证日期 2010-05-20", 120, 650, 40},
		{"号牌号码", 120, 800, 40},
		{"豫A12345", 420, 800, 48},
	}
}

// rotate turns img by deg degrees clockwise about its centre (bilinear, white outside).
func rotate(img *image.RGBA, deg float64) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	a := deg * math.Pi / 180
	cos, sin := math.Cos(a), math.Sin(a)
	nw := int(math.Ceil(math.Abs(float64(w)*cos) + math.Abs(float64(h)*sin)))
	nh := int(math.Ceil(math.Abs(float64(w)*sin) + math.Abs(float64(h)*cos)))
	out := image.NewRGBA(image.Rect(0, 0, nw, nh))
	cx, cy := float64(w)/2, float64(h)/2
	ncx, ncy := float64(nw)/2, float64(nh)/2
	for y := range nh {
		for x := range nw {
			dx, dy := float64(x)+0.5-ncx, float64(y)+0.5-ncy
			sx := cos*dx + sin*dy + cx - 0.5
			sy := -sin*dx + cos*dy + cy - 0.5
			i := out.PixOffset(x, y)
			if sx < 0 || sy < 0 || sx > float64(w-1) || sy > float64(h-1) {
				copy(out.Pix[i:i+4], []uint8{255, 255, 255, 255})
				continue
			}
			r, g, b := bilinear(img, sx, sy)
			copy(out.Pix[i:i+4], []uint8{uint8(r + 0.5), uint8(g + 0.5), uint8(b + 0.5), 255})
		}
	}
	return out
}

func jpegRoundTrip(t testing.TB, img image.Image, q int) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func openEngine(t testing.TB, long int) *Engine {
	t.Helper()
	e, err := Open(Options{Dir: assetDir(t), Threads: 1, DetLongSide: long})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

func joined(lines []Line) string {
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(strings.ReplaceAll(l.Text, " ", ""))
		sb.WriteString("|")
	}
	return sb.String()
}

func TestReadDocument(t *testing.T) {
	e := openEngine(t, 960)
	f := loadFonts(t)
	page := render(t, f, 1500, 1000, docItems())
	cases := []struct {
		name  string
		img   image.Image
		angle int // the Angle the title line must carry
	}{
		{"clean", page, 0},
		{"rotated 180", rotate(page, 180), 180},
		{"jpeg 70, rotated 4°", jpegRoundTrip(t, rotate(page, 4), 70), 0},
		{"jpeg 60, rotated -6°", jpegRoundTrip(t, rotate(page, -6), 60), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			lines, err := e.Read(context.Background(), c.img)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d lines in %v", len(lines), time.Since(start))
			for _, l := range lines {
				t.Logf("  %.3f %3d° %v %q", l.Score, l.Angle, l.Box, l.Text)
			}
			all := joined(lines)
			for _, want := range []string{"公民身份号码410102198001011234", "中华人民共和国机动车驾驶证", "准驾车型A2", "初次领证日期2010-05-20"} {
				if !strings.Contains(all, want) {
					t.Errorf("text %q not read; got %s", want, all)
				}
			}
			var plate, title *Line
			for i, l := range lines {
				switch l.Text {
				case "豫A12345":
					plate = &lines[i]
				case "中华人民共和国机动车驾驶证":
					title = &lines[i]
				}
			}
			if plate == nil {
				t.Errorf("no line reads exactly 豫A12345")
			}
			if title == nil {
				t.Fatalf("no line reads exactly the title")
			}
			if title.Angle != c.angle {
				t.Errorf("title angle %d, want %d", title.Angle, c.angle)
			}
			if title.Score < 0.9 {
				t.Errorf("title score %.3f, want ≥ 0.9", title.Score)
			}
		})
	}
}
