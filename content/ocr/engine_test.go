//go:build cgo

package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	ort "github.com/yalue/onnxruntime_go"
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
	b, err := os.ReadFile(filepath.Join("..", "..", "certs", "render", "fonts", "DroidSansFallbackFull.ttf"))
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

// rot90 turns img 90° clockwise.
func rot90(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			copy(out.Pix[out.PixOffset(h-1-y, x):], img.Pix[i:i+4])
		}
	}
	return out
}

// boxBlur averages each pixel over a (2r+1)² window.
func boxBlur(img *image.RGBA, r int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(img.Rect)
	for y := range h {
		for x := range w {
			var s [3]int
			n := 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					i := img.PixOffset(clampInt(x+dx, 0, w-1), clampInt(y+dy, 0, h-1))
					s[0] += int(img.Pix[i])
					s[1] += int(img.Pix[i+1])
					s[2] += int(img.Pix[i+2])
					n++
				}
			}
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), 255
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
		{"rotated 90", rot90(page), 90},
		{"rotated 180", rotate(page, 180), 180},
		{"rotated 270", rot90(rot90(rot90(page))), 270},
		{"blurred 5×5 box", boxBlur(page, 2), 0},
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
			if c.angle == 0 {
				// an upright page, level or a few degrees off, comes out in reading order
				want := "中华人民共和国机动车驾驶证|姓名张三|性别男|住址河南省郑州市金水区花园路100号|公民身份号码410102198001011234|准驾车型A2|初次领证日期2010-05-20|号牌号码|豫A12345|"
				if all != want {
					t.Errorf("lines in order\n%s\nwant\n%s", all, want)
				}
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

// vmHWM is the process's peak resident set size in MB (0 where /proc is missing).
func vmHWM() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}

func TestEngineLifecycle(t *testing.T) {
	dir := assetDir(t)
	f := loadFonts(t)
	small := render(t, f, 600, 200, []textItem{{"豫A12345", 60, 120, 56}})
	readPlate := func(t *testing.T, e *Engine) {
		t.Helper()
		lines, err := e.Read(context.Background(), small)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || lines[0].Text != "豫A12345" {
			t.Fatalf("read %+v, want one line 豫A12345", lines)
		}
	}
	a, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(Options{Dir: dir, Threads: 2, DetLongSide: 640})
	if err != nil {
		t.Fatal(err)
	}
	if ortEnv.refs != 2 {
		t.Errorf("env refs %d with two engines", ortEnv.refs)
	}
	readPlate(t, a)
	readPlate(t, b)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := a.Read(context.Background(), small); !errors.Is(err, ErrClosed) || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Read after Close: %v, want ErrClosed", err)
	}
	if !ort.IsInitialized() {
		t.Fatal("environment destroyed while an engine is open")
	}
	readPlate(t, b) // still works with a closed
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if ort.IsInitialized() || ortEnv.refs != 0 {
		t.Errorf("environment left initialised (refs %d) after the last Close", ortEnv.refs)
	}
	// a failed Open (a file that is no library) leaves nothing behind; a new Open works
	bogus := t.TempDir()
	for _, name := range []string{LibraryFile, DetModel, RecModel, ClsModel, DictFile} {
		os.WriteFile(filepath.Join(bogus, name), []byte("junk\n"), 0o644)
	}
	if _, err := Open(Options{Dir: bogus}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Open(bogus) = %v, want ErrUnavailable", err)
	}
	// a dictionary that does not fit the recognition model is refused
	wrong := t.TempDir()
	for _, name := range []string{LibraryFile, DetModel, RecModel, ClsModel} {
		abs, _ := filepath.Abs(filepath.Join(dir, name))
		if err := os.Symlink(abs, filepath.Join(wrong, name)); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(wrong, DictFile), []byte("a\nb\n"), 0o644)
	if _, err := Open(Options{Dir: wrong}); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), DictFile) {
		t.Errorf("Open(short dictionary) = %v, want ErrUnavailable naming %s", err, DictFile)
	}
	if ort.IsInitialized() || ortEnv.refs != 0 {
		t.Errorf("failed Open left the environment initialised (refs %d)", ortEnv.refs)
	}
	c, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatalf("reopen after the environment was destroyed: %v", err)
	}
	defer c.Close()
	readPlate(t, c)
	if v := c.Version(); !strings.Contains(v, "PP-OCRv4") || !strings.Contains(v, "ONNX Runtime "+ort.GetVersion()) {
		t.Errorf("Version %q", v)
	}
	t.Logf("Version: %s", c.Version())
}

func TestReadConcurrent(t *testing.T) {
	e := openEngine(t, 960)
	f := loadFonts(t)
	page := render(t, f, 1500, 1000, docItems())
	want, err := e.Read(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() {
			got, err := e.Read(context.Background(), page)
			if err == nil && !reflect.DeepEqual(got, want) {
				err = fmt.Errorf("concurrent read differs: %s vs %s", joined(got), joined(want))
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestReadContext(t *testing.T) {
	e := openEngine(t, 960)
	f := loadFonts(t)
	page := render(t, f, 1500, 1000, docItems())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Read(ctx, page); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v", err)
	}
	start := time.Now()
	if _, err := e.Read(context.Background(), page); err != nil {
		t.Fatal(err)
	}
	full := time.Since(start)
	// a deadline a quarter into the read (inside detection) terminates the running model
	ctx, cancel = context.WithTimeout(context.Background(), full/4)
	defer cancel()
	start = time.Now()
	_, err := e.Read(ctx, page)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
	if d := time.Since(start); d > full/2 {
		t.Errorf("Read returned %v after a %v deadline (a full read takes %v)", d, full/4, full)
	}
}

func TestReadCoordinatesAndBlank(t *testing.T) {
	e := openEngine(t, 960)
	f := loadFonts(t)
	page := render(t, f, 1500, 1000, docItems())
	full, err := e.Read(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	// a sub-image keeps the input's coordinates (within a few pixels: the sub-image is
	// detected at full resolution, the page at 0.64)
	sub := page.SubImage(image.Rect(300, 700, 900, 900))
	lines, err := e.Read(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	var a, b *Line
	for i := range full {
		if full[i].Text == "豫A12345" {
			a = &full[i]
		}
	}
	for i := range lines {
		if lines[i].Text == "豫A12345" {
			b = &lines[i]
		}
	}
	if a == nil || b == nil {
		t.Fatalf("plate not read: full %s, sub %s", joined(full), joined(lines))
	}
	for k := range 4 {
		if d := a.Box[k].Sub(b.Box[k]); d.X*d.X+d.Y*d.Y > 36 {
			t.Errorf("corner %d: %v in the page, %v in the sub-image", k, a.Box[k], b.Box[k])
		}
	}
	blank := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	if lines, err := e.Read(context.Background(), blank); err != nil || len(lines) != 0 {
		t.Errorf("blank page: %v, %v", lines, err)
	}
}

func TestReadPeakRSS(t *testing.T) {
	e := openEngine(t, 960)
	f := loadFonts(t)
	page := jpegRoundTrip(t, rotate(render(t, f, 1500, 1000, docItems()), 3), 80)
	before := vmHWM()
	for range 3 {
		if _, err := e.Read(context.Background(), page); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("VmHWM after Open %.0f MB (sessions loaded, other tests may have run), after 3 Reads %.0f MB", before, vmHWM())
}

// BenchmarkRead reads a ~1500×1000 document photo (rotated 3°, JPEG 80) at both detection
// sizes with one thread, and at 960 with two. Run one case per process to see its peak RSS
// (VmHWM is a process peak), e.g. -bench 'BenchmarkRead/det960/threads1$'.
func BenchmarkRead(b *testing.B) {
	f := loadFonts(b)
	page := jpegRoundTrip(b, rotate(render(b, f, 1500, 1000, docItems()), 3), 80)
	for _, c := range []struct{ long, threads int }{{960, 1}, {1280, 1}, {960, 2}} {
		b.Run(fmt.Sprintf("det%d/threads%d", c.long, c.threads), func(b *testing.B) {
			e, err := Open(Options{Dir: assetDir(b), Threads: c.threads, DetLongSide: c.long})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			for b.Loop() {
				lines, err := e.Read(context.Background(), page)
				if err != nil {
					b.Fatal(err)
				}
				if !strings.Contains(joined(lines), "410102198001011234") {
					b.Fatalf("ID number not read: %s", joined(lines))
				}
			}
			b.ReportMetric(vmHWM(), "peakRSS-MB")
		})
	}
}
