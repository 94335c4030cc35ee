// Package render draws roadcheck's certificates (docs/design.md, "Certificates"): the QR code of
// a signed payload, and the certificate page as PNG and as PDF, with the embedded fonts. It
// signs and verifies nothing: the payload comes from keystore.KeyStore.Issue, and Renderer
// checks only that it parses and belongs to the certificate it is drawn on.
//
//	r := render.New()                        // one per process: it parses the fonts once
//	png, pdf, _ := r.Render(c, payload)      // or r.PNG / r.PDF / r.Image
//
// Pages are A5 portrait at 1240 × 1754 pixels (212 dpi). Text uses the embedded Droid Sans
// Fallback (CJK, Apache-2.0, fonts/) and Go Regular (Latin, from golang.org/x/image); the QR
// code is drawn with whole pixels per module and a 4-module quiet zone. One layout (render.go,
// layout) draws both outputs through the page interface: the bitmap for the PNG, and, through
// github.com/signintech/gopdf (pdf.go), a one-page A5 PDF document of vector text in the two
// fonts embedded as subsets (names tagged "RCCJKA+", "RCLATA+"; text split into runs per font
// as the bitmap's mixed face picks glyphs, placed where its hinted advances put them), the QR
// code as filled rectangles at whole-module positions (row runs and column runs, so no two
// abutting squares leave an anti-aliasing seam), and the payload in the Info dictionary
// (/Subject, /Keywords, /RoadcheckPayload) with a Chinese /Title and the authority as /Author.
// Render draws PNG and PDF concurrently from one prepared payload, QR symbol and font set.
//
// EncodeQR encodes a payload at level M in version ≤ 10, choosing the mask so that no finder
// look-alike sits in the data (qr.go, qrmask.go).
package render

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/roadcheck/roadcheck/certs"
)

// Page geometry: A5 portrait (148 × 210 mm) at 212.6 dpi, so the PDF prints crisp text and the
// PNG is the same picture.
const (
	PageWidth  = 1240
	PageHeight = 1754
	pageMMW    = 148.0
	pageMMH    = 210.0
)

var (
	colRed   = color.RGBA{0xA3, 0x1B, 0x1B, 0xFF}
	colText  = color.RGBA{0x1A, 0x1A, 0x1A, 0xFF}
	colLabel = color.RGBA{0x5A, 0x5A, 0x5A, 0xFF}
	colRule  = color.RGBA{0xD8, 0xC4, 0xC4, 0xFF}
	colWhite = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// Titles of the two certificates (domain.md §5).
const (
	TitleIntegrityAssessment = "道路运输驾驶员诚信考核凭证"
	TitleAnnualReview        = "道路普通货物运输车辆年度审核凭证"
)

var categoryNames = map[string]string{
	"passenger_driver": "道路旅客运输驾驶员",
	"freight_driver":   "普通货运驾驶员",
	"dg_driver":        "危险货物运输驾驶员",
	"dg_escort":        "危险货物运输押运人员",
	"dg_loader":        "危险货物运输装卸管理人员",
}

// Title is the Chinese title of a certificate type.
func Title(certType string) string {
	if certType == certs.TypeAnnualReview {
		return TitleAnnualReview
	}
	return TitleIntegrityAssessment
}

type field struct{ label, value string }

// fields are the rows printed on the certificate. Dates of issue and expiry come from the
// signed claims so that the text and the QR code can never disagree.
func fields(c certs.Certificate, cl certs.Claims) []field {
	var fs []field
	switch cl.Type {
	case certs.CertIntegrityAssessment:
		cats := make([]string, 0, len(c.Categories))
		for _, k := range c.Categories {
			if n, ok := categoryNames[k]; ok {
				k = n
			}
			cats = append(cats, k)
		}
		fs = []field{
			{"持证人", strings.TrimSpace(c.Subject)},
			{"身份证号", certs.MaskIDNumber(c.IDNumber)},
			{"从业资格证号", c.QualificationNumber},
			{"从业资格类别", strings.Join(cats, "、")},
			{"考核周期", zhDate(cl.PeriodStart) + " 至 " + zhDate(cl.PeriodEnd)},
			{"考核等级", cl.Grade + "（" + certs.GradeMeaning(cl.Grade) + "）"},
		}
	case certs.CertAnnualReview:
		plate := cl.Plate
		if z := cl.PlateColour.Chinese(); z != "" {
			plate += "（" + z + "）"
		}
		fs = []field{
			{"车辆号牌", plate},
			{"道路运输证号", c.TransportCertNumber},
			{"业户名称", c.Operator},
			{"审核日期", zhDate(cl.ReviewDate)},
			{"审核结果", cl.Result},
		}
	}
	return append(fs,
		field{"有效期至", zhDate(certs.DateOf(cl.ExpiresTime()))},
		field{"发证机关", c.Authority},
		field{"签发日期", zhDate(certs.DateOf(cl.IssuedTime()))},
		field{"凭证编号", cl.ID},
	)
}

func zhDate(d certs.Date) string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d/10000, d/100%100, d%100)
}

// canvas draws text and shapes on an RGBA page.
type canvas struct {
	img   *image.RGBA
	fonts fonts
	faces map[float64]font.Face
}

func (cv *canvas) face(size float64) font.Face {
	if f, ok := cv.faces[size]; ok {
		return f
	}
	f, err := newFace(cv.fonts, size)
	if err != nil {
		panic(err) // only invalid options fail, and ours are constant
	}
	cv.faces[size] = f
	return f
}

func (cv *canvas) close() {
	for _, f := range cv.faces {
		f.Close()
	}
}

func (cv *canvas) fill(r image.Rectangle, c color.Color) {
	draw.Draw(cv.img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func (cv *canvas) width(s string, size float64) int {
	return font.MeasureString(cv.face(size), s).Ceil()
}

// text draws s with its baseline at y; bold overprints it one pixel to the right (the font has
// no bold weight).
func (cv *canvas) text(s string, x, y int, size float64, c color.Color, bold bool) {
	d := font.Drawer{Dst: cv.img, Src: image.NewUniform(c), Face: cv.face(size), Dot: fixed.P(x, y)}
	d.DrawString(s)
	if bold {
		d.Dot = fixed.P(x+1, y)
		d.DrawString(s)
	}
}

func (cv *canvas) qr(q *QR, at image.Point, px int) { q.draw(rgbaTarget{cv.img}, at, px) }

// centered draws s on out centred on the page, measured by cv.
func centered(cv *canvas, out page, s string, y int, size float64, c color.Color, bold bool) {
	out.text(s, (PageWidth-cv.width(s, size))/2, y, size, c, bold)
}

// fit is how many leading runes of r fit in max pixels (at least 1 when r is not empty).
// Advances are summed once, so wrapping stays linear in the text's length.
func (cv *canvas) fit(r []rune, size float64, maxW int) int {
	f := cv.face(size)
	var w fixed.Int26_6
	limit := fixed.I(maxW)
	for i, c := range r {
		if i > 0 {
			w += f.Kern(r[i-1], c)
		}
		a, _ := f.GlyphAdvance(c)
		if w += a; w > limit {
			return max(i, 1)
		}
	}
	return len(r)
}

// wrap breaks s into lines no wider than max pixels. Chinese breaks between any two
// characters, but preferably after "、" or a space, and never before closing punctuation
// (a line must not start with 、，。）).
func (cv *canvas) wrap(s string, size float64, maxW int) []string {
	var lines []string
	r := []rune(s)
	for len(r) > 0 {
		n := cv.fit(r, size, maxW)
		if n < len(r) {
			for k := n; k > n*2/3; k-- {
				if r[k-1] == '、' || r[k-1] == ' ' {
					n = k
					break
				}
			}
			for n > 1 && strings.ContainsRune(noLineStart, r[n]) {
				n--
			}
		}
		lines = append(lines, strings.TrimRight(string(r[:n]), " "))
		r = r[n:]
		for len(r) > 0 && r[0] == ' ' {
			r = r[1:]
		}
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

const noLineStart = "、，。；：？！）」』》〉】…·,.;:?!)"

// ellipsize shortens s to fit max pixels, ending it with "…" when cut.
func ellipsize(cv *canvas, s string, size float64, maxW int) string {
	r := []rune(strings.TrimSuffix(s, "…"))
	if !strings.HasSuffix(s, "…") && cv.fit(r, size, maxW) == len(r) {
		return s
	}
	return string(r[:cv.fit(r, size, maxW-cv.width("…", size))]) + "…"
}

// checkPayload parses the payload and checks it belongs to c.
func checkPayload(c certs.Certificate, payload string) (certs.Claims, error) {
	_, cl, err := certs.ParsePayload(payload)
	if err != nil {
		return certs.Claims{}, fmt.Errorf("certs: payload: %w", err)
	}
	if c.ID != "" && c.ID != cl.ID {
		return certs.Claims{}, fmt.Errorf("certs: payload is for certificate %s, not %s", cl.ID, c.ID)
	}
	if c.Type != "" && c.Type != cl.Type.String() {
		return certs.Claims{}, fmt.Errorf("certs: payload is a %s, not a %s", cl.Type, c.Type)
	}
	return cl, nil
}

// Renderer draws certificates. It parses the fonts on first use (the CJK font is 4 MB: about
// 15 ms for each of the two parsers) and keeps them, and recycles page bitmaps between
// renders. The zero value is ready to use; a Renderer is safe for concurrent use and must not
// be copied after first use.
type Renderer struct {
	fontOnce sync.Once
	fonts    fonts
	fontErr  error

	// pages recycles page bitmaps (8.7 MB each) between renders, which halves the garbage an
	// issue leaves behind.
	pages sync.Pool
}

// New is a Renderer.
func New() *Renderer { return &Renderer{} }

// Image draws the certificate page: title, fields, and the QR code of payload.
func (r *Renderer) Image(c certs.Certificate, payload string) (*image.RGBA, error) {
	return r.renderRaster(c, payload, image.NewRGBA(image.Rect(0, 0, PageWidth, PageHeight)))
}

// page is what the layout draws on, in page pixels (PageWidth × PageHeight, y down): the
// bitmap (canvas) or the PDF (pdfPage). Text is placed by its baseline; bold is the font's
// regular weight overprinted one pixel to the right.
type page interface {
	fill(r image.Rectangle, c color.Color)
	text(s string, x, y int, size float64, c color.Color, bold bool)
	qr(q *QR, at image.Point, px int)
}

// prepared is what both renderings of one certificate share: the checked claims, the QR
// symbol and the fonts.
type prepared struct {
	c       certs.Certificate
	payload string
	cl      certs.Claims
	qr      *QR
	fonts   fonts
	pages   *sync.Pool
}

func (r *Renderer) prepare(c certs.Certificate, payload string) (*prepared, error) {
	cl, err := checkPayload(c, payload)
	if err != nil {
		return nil, err
	}
	qr, err := EncodeQR(payload)
	if err != nil {
		return nil, err
	}
	f, err := r.loadFonts()
	if err != nil {
		return nil, fmt.Errorf("certs: font: %v", err)
	}
	return &prepared{c: c, payload: payload, cl: cl, qr: qr, fonts: f, pages: &r.pages}, nil
}

// measurer measures text with the raster faces, so both renderings break lines and centre
// titles at the same places.
func (p *prepared) measurer() *canvas {
	return &canvas{fonts: p.fonts, faces: map[float64]font.Face{}}
}

// renderRaster draws on img, which it paints white first.
func (r *Renderer) renderRaster(c certs.Certificate, payload string, img *image.RGBA) (*image.RGBA, error) {
	p, err := r.prepare(c, payload)
	if err != nil {
		return nil, err
	}
	drawRaster(p, img)
	return img, nil
}

func drawRaster(p *prepared, img *image.RGBA) {
	cv := p.measurer()
	cv.img = img
	defer cv.close()
	cv.fill(img.Bounds(), colWhite)
	layout(p, cv, cv)
}

// layout draws the page on out, measuring text with cv.
func layout(p *prepared, cv *canvas, out page) {
	c, cl, qr := p.c, p.cl, p.qr
	bounds := image.Rect(0, 0, PageWidth, PageHeight)

	// Frame: a heavy outer and a thin inner rule.
	frame := func(inset, w int, col color.Color) {
		r := bounds.Inset(inset)
		out.fill(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), col)
		out.fill(image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), col)
		out.fill(image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Max.Y), col)
		out.fill(image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Max.Y), col)
	}
	frame(44, 10, colRed)
	frame(66, 2, colRed)

	// Title, shrunk to the width of the rule under it.
	const ruleL, ruleR = 150, PageWidth - 150
	title := Title(cl.Type.String())
	size := 60.0
	for cv.width(title, size) > ruleR-ruleL-20 {
		size -= 2
	}
	centered(cv, out, title, 215, size, colRed, true)
	out.fill(image.Rect(ruleL, 262, ruleR, 264), colRed)

	// Bottom block, laid out from the inner frame upwards: two caption lines, then the QR code
	// with whole pixels per module (its quiet zone is white space above the captions).
	px := 480 / qr.Size()
	side := qr.Size() * px
	qrBottom := 1570
	at := image.Pt((PageWidth-side)/2, qrBottom-side)
	qrRule := at.Y - 12
	out.fill(image.Rect(ruleL, qrRule, ruleR, qrRule+2), colRule)
	out.qr(qr, at, px)
	centered(cv, out, "扫描二维码核验凭证真伪", 1608, 28, colLabel, false)
	centered(cv, out, ellipsize(cv, "凭证信息经"+c.Authority+"电子签名，涂改无效", 24, ruleR-ruleL), 1650, 24, colLabel, false)

	// Fields: a label column and a value column. Values wrap; if they would run into the QR
	// code's rule, the longest ones lose lines (cut with an ellipsis) so every row still shows.
	const (
		labelX    = ruleL
		valueX    = 420
		labelSize = 30.0
		valueSize = 34.0
		lineH     = 46
		rowStep   = 66
		top       = 345
	)
	fields := fields(c, cl)
	wrapped := make([][]string, len(fields))
	extra := 0 // wrapped lines beyond the first of each value
	for i, fl := range fields {
		wrapped[i] = cv.wrap(fl.value, valueSize, ruleR-valueX)
		extra += len(wrapped[i]) - 1
	}
	maxBaseline := qrRule - 24
	for top+(len(fields)-1)*rowStep+extra*lineH > maxBaseline && extra > 0 {
		longest := 0
		for i := range wrapped {
			if len(wrapped[i]) > len(wrapped[longest]) {
				longest = i
			}
		}
		w := wrapped[longest][:len(wrapped[longest])-1]
		w[len(w)-1] = ellipsize(cv, w[len(w)-1]+"…", valueSize, ruleR-valueX)
		wrapped[longest] = w
		extra--
	}
	y := top
	for i, fl := range fields {
		out.text(fl.label, labelX, y, labelSize, colLabel, false)
		for j, ln := range wrapped[i] {
			out.text(ln, valueX, y+j*lineH, valueSize, colText, i == 0)
		}
		y += (len(wrapped[i])-1)*lineH + rowStep
	}
}

type rgbaTarget struct{ *image.RGBA }

func (t rgbaTarget) fill(r image.Rectangle, c color.Color) {
	draw.Draw(t.RGBA, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// PNG renders the certificate as PNG.
func (r *Renderer) PNG(c certs.Certificate, payload string) ([]byte, error) {
	p, err := r.prepare(c, payload)
	if err != nil {
		return nil, err
	}
	return p.png()
}

func (p *prepared) png() ([]byte, error) {
	img, _ := p.pages.Get().(*image.RGBA)
	if img == nil {
		img = image.NewRGBA(image.Rect(0, 0, PageWidth, PageHeight))
	}
	defer p.pages.Put(img)
	drawRaster(p, img)
	return encodePNG(img)
}

// PDF renders the certificate as a one-page A5 PDF document (pdf.go): vector text in
// subsetted embedded fonts, the QR code as vector modules, the payload in the metadata.
func (r *Renderer) PDF(c certs.Certificate, payload string) ([]byte, error) {
	p, err := r.prepare(c, payload)
	if err != nil {
		return nil, err
	}
	return p.pdf()
}

// Render renders PNG and PDF of one certificate. They share the checked payload, the QR
// symbol and the fonts, and are drawn concurrently (the PNG is mostly rasterising and
// compression, the PDF mostly font subsetting and compression).
func (r *Renderer) Render(c certs.Certificate, payload string) (pngBytes, pdfBytes []byte, err error) {
	p, err := r.prepare(c, payload)
	if err != nil {
		return nil, nil, err
	}
	var pdfErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		pdfBytes, pdfErr = p.pdf()
	}()
	pngBytes, err = p.png()
	<-done
	if err != nil {
		return nil, nil, err
	}
	if pdfErr != nil {
		return nil, nil, pdfErr
	}
	return pngBytes, pdfBytes, nil
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// encodePNG writes an opaque RGBA image as an 8-bit RGB PNG. It is image/png without the
// per-row filter search, which took a third of the issue time: every row uses the Up filter,
// which turns the page's many repeated rows into zeros that deflate to almost nothing.
func encodePNG(img *image.RGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var buf bytes.Buffer
	buf.Write(pngSignature)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, RGB
	writePNGChunk(&buf, "IHDR", ihdr[:])

	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	prev := make([]byte, 3*w)
	cur := make([]byte, 3*w)
	row := make([]byte, 1+3*w)
	same := make([]byte, 1+3*w) // a row equal to the one above: Up filter, all zeros
	row[0], same[0] = 2, 2      // filter type Up
	var prevPix []byte
	for y := 0; y < h; y++ {
		off := img.PixOffset(b.Min.X, b.Min.Y+y)
		px := img.Pix[off : off+4*w]
		out := same
		if !bytes.Equal(px, prevPix) {
			for x := 0; x < w; x++ {
				cur[3*x], cur[3*x+1], cur[3*x+2] = px[4*x], px[4*x+1], px[4*x+2]
			}
			for i := range cur {
				row[1+i] = cur[i] - prev[i]
			}
			prev, cur, out = cur, prev, row
		}
		if _, err := zw.Write(out); err != nil {
			return nil, err
		}
		prevPix = px
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	writePNGChunk(&buf, "IDAT", z.Bytes())
	writePNGChunk(&buf, "IEND", nil)
	return buf.Bytes(), nil
}

func writePNGChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}
