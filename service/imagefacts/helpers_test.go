package imagefacts

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

// Generators of the test images. Everything is synthetic and seeded, so the tests are
// deterministic and need no binary fixtures.

func fill(img *image.RGBA, c color.RGBA) {
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

// fillEllipse paints the ellipse centred at (cx, cy) with radii rx, ry (fractions of the
// image size, so one description serves every size).
func fillEllipse(img *image.RGBA, cx, cy, rx, ry float64, c color.RGBA) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dx, dy := (float64(x)+0.5)/w-cx, (float64(y)+0.5)/h-cy
			if (dx*dx)/(rx*rx)+(dy*dy)/(ry*ry) <= 1 {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

var (
	idWhite = color.RGBA{255, 255, 255, 255}
	idBlue  = color.RGBA{67, 142, 219, 255} // the usual 证件照 blue
	idRed   = color.RGBA{220, 20, 30, 255}
	grey    = color.RGBA{128, 128, 128, 255}
	green   = color.RGBA{60, 170, 80, 255}
)

// idPhoto draws a 2-inch ID photo (413×579 at 300 dpi): background, shoulders reaching the
// side edges in the bottom fifth, neck, face and hair. headAtTop moves the head up until the
// hair touches (and is cut by) the top edge.
func idPhoto(bg color.RGBA, headAtTop bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 413, 579))
	fill(img, bg)
	paintPerson(img, headAtTop)
	return img
}

func paintPerson(img *image.RGBA, headAtTop bool) {
	cy := 0.40
	if headAtTop {
		cy = 0.27
	}
	fillEllipse(img, 0.5, 1.02, 0.75, 0.30, color.RGBA{35, 38, 55, 255})                     // jacket
	fillRect(img, scaleRect(img, 0.42, cy+0.15, 0.58, 0.80), color.RGBA{190, 150, 125, 255}) // neck
	fillEllipse(img, 0.5, cy-0.03, 0.25, 0.21, color.RGBA{30, 25, 25, 255})                  // hair
	fillEllipse(img, 0.5, cy+0.02, 0.21, 0.19, color.RGBA{205, 165, 140, 255})               // face
	fillEllipse(img, 0.42, cy, 0.025, 0.012, color.RGBA{40, 30, 30, 255})                    // eyes
	fillEllipse(img, 0.58, cy, 0.025, 0.012, color.RGBA{40, 30, 30, 255})
}

func scaleRect(img *image.RGBA, x0, y0, x1, y1 float64) image.Rectangle {
	w, h := float64(img.Bounds().Dx()), float64(img.Bounds().Dy())
	return image.Rect(int(x0*w), int(y0*h), int(x1*w), int(y1*h))
}

// gradientPhoto has a left-to-right blue-to-white background: each side looks plain, the two
// together do not.
func gradientPhoto() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 413, 579))
	for y := 0; y < 579; y++ {
		for x := 0; x < 413; x++ {
			f := float64(x) / 412
			img.SetRGBA(x, y, color.RGBA{uint8(40 + 205*f), uint8(90 + 155*f), uint8(200 + 45*f), 255})
		}
	}
	paintPerson(img, false)
	return img
}

// noisyPhoto has a blue background with strong per-pixel noise (a textured backdrop).
func noisyPhoto() *image.RGBA {
	img := idPhoto(idBlue, false)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < len(img.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			img.Pix[i+c] = uint8(max(0, min(255, int(img.Pix[i+c])+rng.IntN(161)-80)))
		}
	}
	paintPerson(img, false)
	return img
}

// roomPhoto is a person in front of an off-white wall with a brown door on the left and a
// window on the right: the wall alone would pass for white, the door and window must not.
func roomPhoto() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 413, 579))
	fill(img, color.RGBA{235, 230, 220, 255})
	fillRect(img, scaleRect(img, 0, 0.05, 0.2, 1), color.RGBA{110, 70, 40, 255})         // door
	fillRect(img, scaleRect(img, 0.85, 0.1, 1, 0.55), color.RGBA{120, 160, 190, 255})    // window
	fillRect(img, scaleRect(img, 0.88, 0.15, 0.97, 0.5), color.RGBA{170, 200, 220, 255}) // sky in it
	paintPerson(img, false)
	return img
}

// lifePhoto is a landscape snapshot: sky, hills, a house, noise.
func lifePhoto(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(3, 4))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			var c [3]float64
			if fy < 0.55+0.08*math.Sin(fx*9) {
				c = [3]float64{120 + 80*fy, 170 + 60*fy, 235}
			} else {
				c = [3]float64{70 + 30*math.Sin(fx*40), 130 + 25*math.Sin(fy*60), 60}
			}
			n := float64(rng.IntN(21) - 10)
			img.SetRGBA(x, y, color.RGBA{u8(c[0] + n), u8(c[1] + n), u8(c[2] + n), 255})
		}
	}
	fillRect(img, scaleRect(img, 0.6, 0.4, 0.8, 0.7), color.RGBA{180, 60, 50, 255})
	fillRect(img, scaleRect(img, 0.65, 0.5, 0.7, 0.6), color.RGBA{250, 240, 200, 255})
	return img
}

func u8(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

// documentPage is a white page with lines of text-like black strokes (glyphs of 2-px strokes,
// 14×20 px, grouped in words), like a scanned certificate.
func documentPage(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 250
	}
	rng := rand.New(rand.NewPCG(1, 2))
	stroke := func(x0, y0, x1, y1 int) { // 2-px line
		n := max(abs(x1-x0), abs(y1-y0), 1)
		for i := 0; i <= n; i++ {
			x, y := x0+(x1-x0)*i/n, y0+(y1-y0)*i/n
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					img.SetGray(x+dx, y+dy, color.Gray{20})
				}
			}
		}
	}
	const gw, gh, margin = 14, 20, 100
	for top := margin; top+gh < h-margin; top += 36 {
		x := margin
		for x < w-margin-10*gw {
			for g := 3 + rng.IntN(6); g > 0; g-- {
				for s := 2 + rng.IntN(3); s > 0; s-- {
					switch rng.IntN(4) {
					case 0: // vertical
						xx := x + rng.IntN(gw-2)
						stroke(xx, top, xx, top+gh-2)
					case 1: // horizontal
						yy := top + rng.IntN(gh-2)
						stroke(x, yy, x+gw-2, yy)
					case 2:
						stroke(x, top, x+gw-2, top+gh-2)
					default:
						stroke(x+gw-2, top, x, top+gh-2)
					}
				}
				x += gw + 4
			}
			x += gw
		}
	}
	return img
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// gaussianBlur blurs a gray image with a separable Gaussian of standard deviation sigma
// (kernel radius 3σ, edges clamped).
func gaussianBlur(src *image.Gray, sigma float64) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v float64
			for i, kv := range k {
				xx := min(w-1, max(0, x+i-r))
				v += kv * float64(src.Pix[y*src.Stride+xx])
			}
			tmp[y*w+x] = v
		}
	}
	dst := image.NewGray(b)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var v float64
			for i, kv := range k {
				yy := min(h-1, max(0, y+i-r))
				v += kv * tmp[yy*w+x]
			}
			dst.Pix[y*dst.Stride+x] = u8(v)
		}
	}
	return dst
}

// hugePNG is a well-formed PNG header declaring w×h RGBA pixels, followed by a token IDAT.
func hugePNG(w, h uint32) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter method, no interlace
	out = imagegatetest.PNGChunk(out, "IHDR", ihdr)
	out = imagegatetest.PNGChunk(out, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	return imagegatetest.PNGChunk(out, "IEND", nil)
}

// corruptIDAT flips bytes inside the first IDAT chunk's data (leaving its CRC stale).
func corruptIDAT(t testing.TB, p []byte) []byte {
	t.Helper()
	p = bytes.Clone(p)
	i := bytes.Index(p, []byte("IDAT"))
	if i < 0 {
		t.Fatal("no IDAT")
	}
	n := int(binary.BigEndian.Uint32(p[i-4:]))
	for j := i + 4 + n/2; j < i+4+n/2+16 && j < i+4+n; j++ {
		p[j] ^= 0xFF
	}
	return p
}

// tinyProgressiveJPEG is a 37-byte progressive JPEG declaring w×h pixels in three full-size
// components, whose only scan names all three: the stdlib decoder allocates the image and
// three coefficient buffers (≈ 15 bytes per pixel) before finding there is no data.
func tinyProgressiveJPEG(w, h int) []byte {
	seg := func(marker byte, p ...byte) []byte {
		n := len(p) + 2
		return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, p...)
	}
	b := []byte{0xFF, 0xD8}
	b = append(b, seg(0xC2, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0)...)
	b = append(b, seg(0xDA, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0)...)
	return append(b, 0xFF, 0xD9)
}
