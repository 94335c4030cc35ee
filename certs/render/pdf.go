package render

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font"
)

// The PDF page: A5 in points. Layout coordinates are page pixels (render.go); the PDF scales
// them by ptX and ptY (the pixel page is 0.3 % taller than A5's proportions, as it always
// was: the old PDF stretched the bitmap the same way).
const (
	pdfW = pageMMW / 25.4 * 72
	pdfH = pageMMH / 25.4 * 72
	ptX  = pdfW / PageWidth
	ptY  = pdfH / PageHeight
)

// pdfPage draws the layout into a gopdf document. Text is vector text in the two embedded
// fonts, split into runs per font the way mixedFace picks glyphs for the bitmap, each run
// placed where the bitmap's hinted advances put it. The QR code is filled rectangles at
// whole-module positions (the verifier reads them back: verify/pdf.go).
type pdfPage struct {
	pdf *gopdf.GoPdf
	cv  *canvas // measures, with the raster faces
	err error
}

func (p *pdfPage) setErr(err error) {
	if p.err == nil && err != nil {
		p.err = err
	}
}

func rgb(c color.Color) (uint8, uint8, uint8) {
	r, g, b, _ := c.RGBA()
	return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
}

func (p *pdfPage) fill(r image.Rectangle, c color.Color) {
	p.pdf.SetFillColor(rgb(c))
	p.pdf.RectFromUpperLeftWithStyle(float64(r.Min.X)*ptX, float64(r.Min.Y)*ptY, float64(r.Dx())*ptX, float64(r.Dy())*ptY, "F")
}

// qr draws the dark modules twice: as horizontal runs (one rectangle per run of dark modules
// in a row) and as vertical runs. The union is exactly the dark modules, but where two dark
// modules meet, one rectangle spans the edge: separately filled, abutting squares leave
// anti-aliasing seams (light hairlines between modules) in every viewer, which cost decodes.
func (p *pdfPage) qr(q *QR, at image.Point, px int) {
	p.pdf.SetFillColor(0, 0, 0)
	n := len(q.Modules)
	box := func(x, y, w, h int) {
		x0, y0 := float64(at.X+(x+QuietZone)*px), float64(at.Y+(y+QuietZone)*px)
		p.pdf.RectFromUpperLeftWithStyle(x0*ptX, y0*ptY, float64(w*px)*ptX, float64(h*px)*ptY, "F")
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !q.Modules[y][x] {
				x++
				continue
			}
			end := x
			for end < n && q.Modules[y][end] {
				end++
			}
			box(x, y, end-x, 1)
			x = end
		}
	}
	for x := 0; x < n; x++ {
		for y := 0; y < n; {
			if !q.Modules[y][x] {
				y++
				continue
			}
			end := y
			for end < n && q.Modules[end][x] {
				end++
			}
			if end-y > 1 { // single modules are drawn already
				box(x, y, 1, end-y)
			}
			y = end
		}
	}
}

func (p *pdfPage) text(s string, x, y int, size float64, c color.Color, bold bool) {
	if s == "" {
		return
	}
	p.pdf.SetTextColor(rgb(c))
	mf := p.cv.face(size).(*mixedFace)
	type run struct {
		s      string
		family string
		dx     int // pixels from x, by the raster faces
	}
	var runs []run
	r := []rune(s)
	for dx := 0; len(r) > 0; {
		latin := mf.isLatin(r[0])
		n := 1
		for n < len(r) && mf.isLatin(r[n]) == latin {
			n++
		}
		rn := run{s: string(r[:n]), family: pdfFontCJK, dx: dx}
		if latin {
			rn.family = pdfFontLatin
		}
		runs = append(runs, rn)
		dx += font.MeasureString(mf, rn.s).Round()
		r = r[n:]
	}
	// Bold draws the whole line a second time, one pixel to the right, after the first: text
	// extractors (poppler's pdftotext, viewers' selection) recognise a repeated, overlapping
	// word as fake bold and keep one copy, which they do not when copies of the runs are
	// interleaved.
	for pass := 0; pass <= btoi(bold); pass++ {
		for _, rn := range runs {
			p.setErr(p.pdf.SetFont(rn.family, "", size*ptY))
			p.pdf.SetXY(float64(x+rn.dx+pass)*ptX, float64(y)*ptY)
			p.setErr(p.pdf.Text(rn.s))
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *prepared) pdf() ([]byte, error) {
	doc := &gopdf.GoPdf{}
	doc.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pdfW, H: pdfH}})
	// Deflate at best speed: the content stream is small either way, and gopdf compresses the
	// font subsets at the default level regardless.
	doc.SetCompressLevel(1)
	for _, family := range []string{pdfFontCJK, pdfFontLatin} {
		if err := doc.AddTTFFontFromFontContainer(family, p.fonts.pdf); err != nil {
			return nil, fmt.Errorf("certs: PDF font: %v", err)
		}
	}
	doc.SetInfo(gopdf.PdfInfo{
		Title:        Title(p.cl.Type.String()),
		Author:       p.c.Authority,
		Subject:      p.payload, // the QR code's text: verify reads it from here first
		Creator:      "roadcheck",
		Producer:     "roadcheck certs (gopdf)",
		CreationDate: p.cl.IssuedTime(), // in China Standard Time
	})
	doc.AddPage()
	cv := p.measurer()
	defer cv.close()
	out := &pdfPage{pdf: doc, cv: cv}
	layout(p, cv, out)
	if out.err != nil {
		return nil, fmt.Errorf("certs: PDF: %v", out.err)
	}
	var buf bytes.Buffer
	if _, err := doc.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("certs: PDF: %v", err)
	}
	return addInfoKeys(buf.Bytes(), p.payload)
}

// addInfoKeys adds /Keywords and /RoadcheckPayload (api.md's contract since the first PDF),
// which gopdf's PdfInfo has no field for, to the Info dictionary gopdf writes inline in the
// trailer. The trailer follows the xref table, so no object offset moves.
func addInfoKeys(pdf []byte, payload string) ([]byte, error) {
	const marker = "trailer\n<<\n"
	t := bytes.LastIndex(pdf, []byte(marker))
	if t < 0 {
		return nil, errors.New("certs: PDF: no trailer")
	}
	i := bytes.Index(pdf[t:], []byte("/Info <<\n"))
	if i < 0 {
		return nil, errors.New("certs: PDF: no Info dictionary in the trailer")
	}
	at := t + i + len("/Info <<\n")
	lit := pdfLiteral(payload)
	out := make([]byte, 0, len(pdf)+2*len(lit)+40)
	out = append(out, pdf[:at]...)
	out = fmt.Appendf(out, "/Keywords %s\n/RoadcheckPayload %s\n", lit, lit)
	return append(out, pdf[at:]...), nil
}

// pdfLiteral is s as a PDF literal string (a payload is ASCII: QR's alphanumeric set).
func pdfLiteral(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", `\r`, "\n", `\n`)
	return "(" + r.Replace(s) + ")"
}
