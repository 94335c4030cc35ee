package docgen

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

type sysFont struct{ path, name string }

// systemFonts are the Debian CJK fonts used when installed; each is a collection, its first
// member is the Simplified Chinese face.
var systemFonts = []sysFont{
	{"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"},
	{"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei"},
	{"/usr/share/fonts/truetype/arphic/ukai.ttc", "AR PL UKai"},
	{"/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing"},
}

const repoFont = "certs/render/fonts/DroidSansFallbackFull.ttf"

// fontSet is the fonts of one Generate call: CJK faces to choose from per document, and the
// Latin faces that stand in where a CJK font has no digits (Droid Sans Fallback).
type fontSet struct {
	cjk   []*opentype.Font
	names []string
	latin []*opentype.Font // Go Regular, Go Mono
}

// Fonts loads the CJK fonts: the repository's Droid Sans Fallback (found by walking up from
// the working directory to go.mod) and every installed Debian CJK font. It returns them with
// their names; it fails only when none at all can be loaded.
func Fonts() ([]*opentype.Font, []string, error) {
	fs, err := loadFonts(systemFonts)
	if err != nil {
		return nil, nil, err
	}
	return fs.cjk, fs.names, nil
}

func loadFonts(system []sysFont) (*fontSet, error) {
	fs := &fontSet{}
	var errs []error
	if path, err := findRepoFile(repoFont); err == nil {
		if b, err := os.ReadFile(path); err == nil {
			if f, err := opentype.Parse(b); err == nil {
				fs.cjk = append(fs.cjk, f)
				fs.names = append(fs.names, "Droid Sans Fallback")
			} else {
				errs = append(errs, err)
			}
		} else {
			errs = append(errs, err)
		}
	} else {
		errs = append(errs, err)
	}
	for _, sf := range system {
		b, err := os.ReadFile(sf.path)
		if err != nil {
			continue // not installed: fewer fonts
		}
		// sfnt refuses these collections' tables (not 4-byte aligned), so the first member is
		// copied out into a standalone font with aligned tables
		one, err := ttcMember(b, 0)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", sf.path, err))
			continue
		}
		f, err := opentype.Parse(one)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", sf.path, err))
			continue
		}
		fs.cjk = append(fs.cjk, f)
		fs.names = append(fs.names, sf.name)
	}
	if len(fs.cjk) == 0 {
		return nil, fmt.Errorf("docgen: no CJK font found: %w", errors.Join(errs...))
	}
	for _, b := range [][]byte{goregular.TTF, gomono.TTF} {
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, err
		}
		fs.latin = append(fs.latin, f)
	}
	return fs, nil
}

// findRepoFile walks up from the working directory to the directory holding go.mod and
// returns rel under it.
func findRepoFile(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, rel)
			if _, err := os.Stat(p); err != nil {
				return "", err
			}
			return p, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("docgen: go.mod not found above the working directory")
		}
		dir = up
	}
}

// face draws with a CJK font and falls back, per rune, to a Latin font, then to any other
// CJK font, so that Droid Sans Fallback (no digits) still prints numbers.
type face struct {
	faces []font.Face
	size  float64
}

func (fs *fontSet) face(cjk, latin int, px float64) *face {
	opts := &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone}
	f := &face{size: px}
	add := func(o *opentype.Font) {
		if ff, err := opentype.NewFace(o, opts); err == nil {
			f.faces = append(f.faces, ff)
		}
	}
	add(fs.cjk[cjk%len(fs.cjk)])
	add(fs.latin[latin%len(fs.latin)])
	add(fs.cjk[0])
	return f
}

func (f *face) pick(r rune) (font.Face, fixed.Int26_6) {
	for _, ff := range f.faces {
		if a, ok := ff.GlyphAdvance(r); ok {
			return ff, a
		}
	}
	a, _ := f.faces[0].GlyphAdvance(r)
	return f.faces[0], a
}

// width is the advance of s in pixels, with extra letter spacing sp per rune.
func (f *face) width(s string, sp float64) float64 {
	w := 0.0
	for _, r := range s {
		if r == ' ' {
			w += f.size * 0.3
			continue
		}
		_, a := f.pick(r)
		w += float64(a)/64 + sp
	}
	return w
}

// draw prints s with its baseline at (x, y) in colour c and returns the end x.
func (f *face) draw(dst *image.RGBA, x, y float64, s string, c color.RGBA, sp float64) float64 {
	src := image.NewUniform(c)
	for _, r := range s {
		if r == ' ' {
			x += f.size * 0.3
			continue
		}
		ff, a := f.pick(r)
		dot := fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}
		dr, mask, mp, _, ok := ff.Glyph(dot, r)
		if ok {
			draw.DrawMask(dst, dr, src, image.Point{}, mask, mp, draw.Over)
		}
		x += float64(a)/64 + sp
	}
	return x
}

// ttcMember copies font i of a TrueType collection into a standalone font file whose tables
// start on 4-byte boundaries (as golang.org/x/image/font/sfnt requires).
func ttcMember(b []byte, i int) ([]byte, error) {
	u32 := func(o int) int {
		return int(b[o])<<24 | int(b[o+1])<<16 | int(b[o+2])<<8 | int(b[o+3])
	}
	if len(b) < 12 || string(b[:4]) != "ttcf" {
		return b, nil // a plain font
	}
	if i >= u32(8) || 12+4*i+4 > len(b) {
		return nil, errors.New("docgen: no such font in the collection")
	}
	off := u32(12 + 4*i)
	if off+12 > len(b) {
		return nil, errors.New("docgen: truncated collection")
	}
	n := int(b[off+4])<<8 | int(b[off+5])
	if off+12+16*n > len(b) {
		return nil, errors.New("docgen: truncated table directory")
	}
	head := 12 + 16*n
	size := head
	for t := 0; t < n; t++ {
		size += (u32(off+12+16*t+12) + 3) &^ 3
	}
	out := make([]byte, head, size)
	copy(out, b[off:off+12])
	for t := 0; t < n; t++ {
		rec := off + 12 + 16*t
		to, tl := u32(rec+8), u32(rec+12)
		if to+tl > len(b) {
			return nil, errors.New("docgen: table outside the file")
		}
		copy(out[12+16*t:12+16*t+8], b[rec:rec+8]) // tag, checksum
		no := len(out)
		for k, v := range []int{no, tl} {
			p := 12 + 16*t + 8 + 4*k
			out[p], out[p+1], out[p+2], out[p+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		}
		out = append(out, b[to:to+tl]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
