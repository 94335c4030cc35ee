package render

import (
	_ "embed"
	"image"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// cjkTTF is Droid Sans Fallback (Apache-2.0, fonts/LICENSE-DroidSansFallback.txt): one
// TrueType file with full GB2312 coverage, embedded so a bare machine renders Chinese
// certificates without system fonts. It has no Latin letters or digits (it is a fallback font);
// those come from Go Regular (BSD, shipped in golang.org/x/image).
//
//go:embed fonts/DroidSansFallbackFull.ttf
var cjkTTF []byte

// fonts are the parsed fonts: for the raster faces, and gopdf's parsed copies for the PDF
// (pdf holds both, by the family names pdfFontCJK and pdfFontLatin).
type fonts struct {
	latin, cjk *opentype.Font
	pdf        *gopdf.FontContainer
}

// The PDF's font names. A subset font's name starts with a six-letter tag and "+" (PDF 32000
// §9.6.4), which is how viewers and pdffonts tell a subset; the tags need only differ within
// one file.
const (
	pdfFontCJK   = "RCCJKA+DroidSansFallbackFull"
	pdfFontLatin = "RCLATA+GoRegular"
)

// loadFonts parses the fonts once per Renderer (the CJK font is 4 MB: about 15 ms for each of
// the two parsers); parsed fonts are safe for concurrent use, faces are not (each render makes
// its own), and gopdf copies a font out of its container for each document.
func (r *Renderer) loadFonts() (fonts, error) {
	r.fontOnce.Do(func() {
		var f fonts
		if f.cjk, r.fontErr = opentype.Parse(cjkTTF); r.fontErr != nil {
			return
		}
		if f.latin, r.fontErr = opentype.Parse(goregular.TTF); r.fontErr != nil {
			return
		}
		fc := &gopdf.FontContainer{}
		if r.fontErr = fc.AddTTFFontData(pdfFontCJK, cjkTTF); r.fontErr != nil {
			return
		}
		if r.fontErr = fc.AddTTFFontData(pdfFontLatin, goregular.TTF); r.fontErr != nil {
			return
		}
		f.pdf = fc
		r.fonts = f
	})
	return r.fonts, r.fontErr
}

// isLatin reports whether mixedFace draws r with Go Regular.
func (m *mixedFace) isLatin(r rune) bool { return m.pick(r) == m.latin }

// newFace is a face of size px pixels (DPI 72 makes points equal pixels) that draws Latin
// text with Go Regular and everything else with Droid Sans Fallback.
func newFace(f fonts, px float64) (font.Face, error) {
	opts := &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingFull}
	latin, err := opentype.NewFace(f.latin, opts)
	if err != nil {
		return nil, err
	}
	cjk, err := opentype.NewFace(f.cjk, opts)
	if err != nil {
		return nil, err
	}
	return &mixedFace{latin: latin, cjk: cjk}, nil
}

// mixedFace picks, per rune, the Latin face when it has the glyph, else the CJK face.
type mixedFace struct{ latin, cjk font.Face }

func (m *mixedFace) pick(r rune) font.Face {
	if r < 0x2E80 { // below the CJK blocks
		if _, ok := m.latin.GlyphAdvance(r); ok {
			return m.latin
		}
	}
	return m.cjk
}

func (m *mixedFace) Close() error {
	m.latin.Close()
	return m.cjk.Close()
}

func (m *mixedFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	return m.pick(r).Glyph(dot, r)
}

func (m *mixedFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	return m.pick(r).GlyphBounds(r)
}

func (m *mixedFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) { return m.pick(r).GlyphAdvance(r) }

func (m *mixedFace) Kern(r0, r1 rune) fixed.Int26_6 {
	if f := m.pick(r0); f == m.pick(r1) {
		return f.Kern(r0, r1)
	}
	return 0
}

func (m *mixedFace) Metrics() font.Metrics { return m.cjk.Metrics() }
