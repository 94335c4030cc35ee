package render

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/roadcheck/roadcheck/certs"
)

// stockRead is gozxing's stock QR reader with TRY_HARDER: what a zxing-based app would read.
func stockRead(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	text, err := stockRead(img)
	if err != nil {
		t.Fatalf("gozxing: %v", err)
	}
	return text
}

func TestRenderPNGAndPDF(t *testing.T) {
	ks := testStore(t)
	long := driverCert(t)
	long.Subject = "阿依古丽·买买提艾力"
	long.Categories = []string{"passenger_driver", "freight_driver", "dg_driver", "dg_escort", "dg_loader"}
	long.Authority = "河南省郑州市中原区交通运输局道路运输管理服务中心"
	long.Grade = "B"
	longV := vehicleCert(t)
	longV.Plate, longV.PlateColour = "豫AD12345", "green"
	longV.Operator = "河南省郑州市某某国际物流供应链管理有限公司第一分公司（郑州航空港经济综合实验区）"
	huge := vehicleCert(t)
	huge.Operator = strings.Repeat("郑州某物流有限公司", 30)
	huge.TransportCertNumber = strings.Repeat("4101", 60)
	cases := []struct {
		name string
		c    certs.Certificate
	}{{"integrity_assessment", driverCert(t)}, {"annual_review", vehicleCert(t)}, {"long_integrity_assessment", long}, {"long_annual_review", longV}, {"overflowing_annual_review", huge}}
	r := New()
	for _, tc := range cases {
		c := tc.c
		t.Run(tc.name, func(t *testing.T) {
			payload, err := ks.Issue(c)
			if err != nil {
				t.Fatal(err)
			}
			pngBytes, pdfBytes, err := r.Render(c, payload)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(pngBytes))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != PageWidth || b.Dy() != PageHeight {
				t.Fatalf("PNG is %v, want %dx%d", b, PageWidth, PageHeight)
			}
			if got := decodeQR(t, img); got != payload {
				t.Fatalf("QR decodes to %q, want %q", got, payload)
			}
			if dir := os.Getenv("CERTS_PREVIEW_DIR"); dir != "" {
				os.MkdirAll(dir, 0o755)
				os.WriteFile(filepath.Join(dir, tc.name+".png"), pngBytes, 0o644)
				os.WriteFile(filepath.Join(dir, tc.name+".pdf"), pdfBytes, 0o644)
			}
			_, cl, err := certs.ParsePayload(payload)
			if err != nil {
				t.Fatal(err)
			}
			page := checkPDF(t, pdfBytes, payload, fields(c, cl), img)
			if dir := os.Getenv("CERTS_PREVIEW_DIR"); dir != "" && page != nil {
				os.WriteFile(filepath.Join(dir, tc.name+"-pdf-page.png"), page, 0o644)
			}
		})
	}
}

// checkPDF checks the PDF's structure and, with poppler installed, what a reader gets from
// it: the payload in the metadata, two embedded subset fonts, every field's text (wrapped
// values may break anywhere, so they are compared without white space, ellipsized ones up
// to the cut), and the QR code of the page rendered at 200 dpi. It returns that page as PNG.
// (At 100 dpi a module is 3.8 pixels, the size of the strokes in the field text, whose glyphs
// then pass for finder patterns: the stock reader used here fails on about 2 % of pages
// there; verify's pipeline searches past them, TestPDFRasterised.)
func checkPDF(t *testing.T, pdf []byte, payload string, fields []field, want image.Image) []byte {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) {
		t.Fatal("PDF does not start with %PDF-1.")
	}
	// startxref must point at the xref table, and each entry at its object.
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(pdf) || !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatal("startxref does not point at an xref table")
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) < 10 {
		t.Fatalf("%d xref entries", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if !bytes.HasPrefix(pdf[off:], fmt.Appendf(nil, "%d 0 obj\n", i+1)) {
			t.Fatalf("xref entry %d does not point at object %d", i+1, i+1)
		}
	}
	for _, key := range []string{"/Keywords", "/RoadcheckPayload"} {
		if !bytes.Contains(pdf, []byte(key+" ("+payload+")\n")) {
			t.Fatalf("no %s with the payload in the Info dictionary", key)
		}
	}
	if bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Fatal("the PDF holds an image: the page must be vector text and modules")
	}
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Log("poppler-utils not installed; poppler checks skipped")
		return nil
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "c.pdf")
	os.WriteFile(f, pdf, 0o644)
	poppler := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("Syntax Error")) || bytes.Contains(out, []byte("Syntax Warning")) {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
		return string(out)
	}
	info := poppler("pdfinfo", f)
	for _, want := range []string{`Pages:\s+1\n`, `Page size:\s+419\.53 x 595\.28 pts`, `Subject:\s+` + regexp.QuoteMeta(payload) + `\n`, `Keywords:\s+` + regexp.QuoteMeta(payload) + `\n`, `Title:\s+道路`} {
		if !regexp.MustCompile(want).MatchString(info) {
			t.Fatalf("pdfinfo output lacks %s:\n%s", want, info)
		}
	}
	// Two fonts, both embedded subsets (a subset's name has a six-letter tag).
	fonts := poppler("pdffonts", f)
	rows := regexp.MustCompile(`(?m)^[A-Z]{6}\+(\S+)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`).FindAllStringSubmatch(fonts, -1)
	if len(rows) != 2 || rows[0][1] == rows[1][1] {
		t.Fatalf("pdffonts: want two embedded subset fonts (emb yes, sub yes, uni yes):\n%s", fonts)
	}
	text := strings.Join(strings.Fields(poppler("pdftotext", "-enc", "UTF-8", f, "-")), "")
	for _, fl := range fields {
		want := strings.Join(strings.Fields(fl.label+fl.value), "")
		if !strings.Contains(text, strings.Join(strings.Fields(fl.label), "")) {
			t.Errorf("pdftotext lacks the label %q", fl.label)
		}
		v := []rune(strings.Join(strings.Fields(fl.value), ""))
		if len(v) > 40 { // long values are cut with an ellipsis: their start must be there
			v = v[:40]
		}
		if !strings.Contains(text, string(v)) {
			t.Errorf("pdftotext lacks %s's value %q (want %q)\n%s", fl.label, string(v), want, text)
		}
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return nil
	}
	// The same look as the PNG: rendered at the PNG's size, the two pages agree on 8×8-pixel
	// blocks (layout, sizes, colours), up to anti-aliasing and hinting.
	poppler("pdftoppm", "-png", "-scale-to-x", strconv.Itoa(PageWidth), "-scale-to-y", strconv.Itoa(PageHeight), "-singlefile", f, filepath.Join(dir, "same"))
	if sb, err := os.ReadFile(filepath.Join(dir, "same.png")); err != nil {
		t.Fatal(err)
	} else if same, err := png.Decode(bytes.NewReader(sb)); err != nil {
		t.Fatal(err)
	} else if d := blockDifference(same, want, 8); d > 0.02 {
		t.Errorf("the PDF page differs from the PNG in %.1f %% of 8×8 blocks", 100*d)
	} else {
		t.Logf("PDF page and PNG differ in %.2f %% of 8×8 blocks", 100*d)
	}
	poppler("pdftoppm", "-png", "-r", "200", "-singlefile", f, filepath.Join(dir, "page"))
	pb, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := png.Decode(bytes.NewReader(pb))
	if err != nil {
		t.Fatal(err)
	}
	// A5 at 200 dpi is 1166 × 1654 pixels.
	if b := page.Bounds(); b.Dx() < 1162 || b.Dx() > 1170 || b.Dy() < 1650 || b.Dy() > 1658 {
		t.Fatalf("PDF page renders at %v, want about 1166x1654", b)
	}
	if got := decodeQR(t, page); got != payload {
		t.Fatalf("QR of the PDF page decodes to %q", got)
	}
	return pb
}

// blockDifference is the share of n×n blocks whose mean colour differs by more than 24 (of
// 255) in any channel between a and b (same size).
func blockDifference(a, b image.Image, n int) float64 {
	r := a.Bounds().Intersect(b.Bounds())
	mean := func(img image.Image, x0, y0 int) (m [3]float64) {
		for y := y0; y < y0+n; y++ {
			for x := x0; x < x0+n; x++ {
				cr, cg, cb, _ := img.At(x, y).RGBA()
				m[0], m[1], m[2] = m[0]+float64(cr>>8), m[1]+float64(cg>>8), m[2]+float64(cb>>8)
			}
		}
		for i := range m {
			m[i] /= float64(n * n)
		}
		return m
	}
	diff, total := 0, 0
	for y := r.Min.Y; y+n <= r.Max.Y; y += n {
		for x := r.Min.X; x+n <= r.Max.X; x += n {
			ma, mb := mean(a, x, y), mean(b, x, y)
			total++
			for i := range ma {
				if ma[i]-mb[i] > 24 || mb[i]-ma[i] > 24 {
					diff++
					break
				}
			}
		}
	}
	return float64(diff) / float64(total)
}

// Huge values are cut, not rendered for seconds: wrapping is linear in their length.
func TestRenderHugeValues(t *testing.T) {
	ks := testStore(t)
	c := vehicleCert(t)
	c.Operator = strings.Repeat("郑州某物流有限公司", 5000)
	c.Authority = strings.Repeat("河南省交通运输厅", 5000)
	p, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := New().PNG(c, p); err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered in %v", time.Since(start))
}

func TestRenderRejectsForeignPayload(t *testing.T) {
	ks := testStore(t)
	p, _ := ks.Issue(driverCert(t))
	if _, err := New().PNG(vehicleCert(t), p); err == nil {
		t.Fatal("rendered a vehicle certificate with a driver's payload")
	}
	if _, err := New().PDF(driverCert(t), "RC1:garbage"); err == nil {
		t.Fatal("rendered with a malformed payload")
	}
}

// TestRenderConcurrent: renders share the parsed fonts (gopdf's font container included) and
// draw PNG and PDF on two goroutines; run with -race.
func TestRenderConcurrent(t *testing.T) {
	ks := testStore(t)
	c := driverCert(t)
	p, err := ks.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	want, err := r.PDF(c, p)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, pdf, err := r.Render(c, p)
			if err != nil {
				t.Error(err)
			} else if !bytes.Equal(pdf, want) {
				t.Error("concurrent renders of one certificate differ")
			}
		})
	}
	wg.Wait()
}
