package certs

import (
	_ "embed"
	"image"
	"sync"

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

type fonts struct{ latin, cjk *opentype.Font }

var (
	fontOnce sync.Once
	loaded   fonts
	fontErr  error
)

// loadFonts parses the fonts once; parsed fonts are safe for concurrent use, faces are not
// (each render makes its own).
func loadFonts() (fonts, error) {
	fontOnce.Do(func() {
		if loaded.cjk, fontErr = opentype.Parse(cjkTTF); fontErr != nil {
			return
		}
		loaded.latin, fontErr = opentype.Parse(goregular.TTF)
	})
	return loaded, fontErr
}

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
