package main

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// The inspector's camera in the browser tests: Chromium's fake capture device plays a Y4M
// file (--use-file-for-fake-video-capture) in a loop. cameraFile writes one from a certificate
// PNG as a phone held over the page would see it: the lower part of the page (the QR code with
// its captions and the last fields) filling a 1280×720 frame, turned a few degrees, on a desk,
// under uneven light, slightly out of focus, with sensor noise; each frame moves a little.

const (
	camW, camH   = 1280, 720
	cameraFrames = 8
)

// Parts of the certificate page the camera looks at, as fractions of the page's height: the
// lower part holds the QR code with its captions and the last fields; the upper part only
// text and rules (a scanner still searching, the costlier frame to decode).
var (
	qrPart   = [2]float64{0.48, 0.97}
	textPart = [2]float64{0.04, 0.50}
)

// cameraFile writes the Y4M of certificate PNG b looking at part to path.
func cameraFile(t *testing.T, b []byte, part [2]float64, path string) {
	t.Helper()
	page, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(15, 2026))
	frames := make([]*image.RGBA, cameraFrames)
	for i := range frames {
		frames[i] = cameraFrame(page, part, i, rng)
	}
	if err := writeY4M(w, frames, 10); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// cameraFrame is frame i: the part of the page (fractions of its height, centred), scaled to
// about 92 % of the frame's height, turned by 3° ± 0.6°.
func cameraFrame(page image.Image, part [2]float64, i int, rng *rand.Rand) *image.RGBA {
	pb := page.Bounds()
	pw, ph := float64(pb.Dx()), float64(pb.Dy())
	cx, cy := 0.5*pw, (part[0]+part[1])/2*ph // centre of the part
	scale := 0.92 * camH / ((part[1] - part[0]) * ph)
	angle := (3 + 0.6*math.Sin(float64(i))) * math.Pi / 180
	dx, dy := 6*math.Cos(float64(i)*1.3), 4*math.Sin(float64(i)*0.7) // hand shake, pixels
	sin, cos := math.Sincos(angle)
	img := image.NewRGBA(image.Rect(0, 0, camW, camH))
	for y := 0; y < camH; y++ {
		for x := 0; x < camW; x++ {
			// frame → page: undo shake, centre, rotation, scale
			fx, fy := float64(x)-camW/2-dx, float64(y)-camH/2-dy
			px := (cos*fx+sin*fy)/scale + cx
			py := (-sin*fx+cos*fy)/scale + cy
			var r, g, b float64
			if px >= 0 && py >= 0 && px < pw-1 && py < ph-1 {
				r, g, b = bilinear(page, pb.Min.X, pb.Min.Y, px, py)
			} else { // a wooden desk
				r, g, b = 120+20*math.Sin(float64(y)/37), 86, 58
			}
			// light falls off towards the lower right; a little noise
			light := 1.0 - 0.22*(float64(x)/camW+float64(y)/camH)/2
			n := rng.NormFloat64() * 4
			img.Pix[img.PixOffset(x, y)+0] = clamp8(r*light + n)
			img.Pix[img.PixOffset(x, y)+1] = clamp8(g*light + n)
			img.Pix[img.PixOffset(x, y)+2] = clamp8(b*light + n)
			img.Pix[img.PixOffset(x, y)+3] = 255
		}
	}
	return blur3(img)
}

func bilinear(m image.Image, ox, oy int, x, y float64) (r, g, b float64) {
	x0, y0 := int(x), int(y)
	ax, ay := x-float64(x0), y-float64(y0)
	for _, c := range []struct {
		dx, dy int
		w      float64
	}{{0, 0, (1 - ax) * (1 - ay)}, {1, 0, ax * (1 - ay)}, {0, 1, (1 - ax) * ay}, {1, 1, ax * ay}} {
		cr, cg, cb, _ := m.At(ox+x0+c.dx, oy+y0+c.dy).RGBA()
		r += c.w * float64(cr>>8)
		g += c.w * float64(cg>>8)
		b += c.w * float64(cb>>8)
	}
	return r, g, b
}

// blur3 is a 3×3 box blur: a camera slightly out of focus.
func blur3(m *image.RGBA) *image.RGBA {
	out := image.NewRGBA(m.Rect)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				s, n := 0, 0
				for yy := max(0, y-1); yy <= min(h-1, y+1); yy++ {
					for xx := max(0, x-1); xx <= min(w-1, x+1); xx++ {
						s += int(m.Pix[m.PixOffset(xx, yy)+c])
						n++
					}
				}
				out.Pix[out.PixOffset(x, y)+c] = uint8(s / n)
			}
			out.Pix[out.PixOffset(x, y)+3] = 255
		}
	}
	return out
}

func clamp8(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

// writeY4M writes frames as YUV4MPEG2, 4:2:0 with JPEG (full-range BT.601) colour, the
// format Chromium's file capture device reads.
func writeY4M(w *bufio.Writer, frames []*image.RGBA, fps int) error {
	b := frames[0].Rect
	fw, fh := b.Dx(), b.Dy()
	if fw%2 != 0 || fh%2 != 0 {
		return fmt.Errorf("y4m: %d×%d, want even sides", fw, fh)
	}
	if _, err := fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n", fw, fh, fps); err != nil {
		return err
	}
	yp := make([]byte, fw*fh)
	up := make([]byte, fw*fh/4)
	vp := make([]byte, fw*fh/4)
	for _, m := range frames {
		for y := 0; y < fh; y++ {
			for x := 0; x < fw; x++ {
				o := m.PixOffset(x, y)
				yy, _, _ := color.RGBToYCbCr(m.Pix[o], m.Pix[o+1], m.Pix[o+2])
				yp[y*fw+x] = yy
			}
		}
		for y := 0; y < fh; y += 2 { // chroma of each 2×2 block, from its mean colour
			for x := 0; x < fw; x += 2 {
				var r, g, bb int
				for _, d := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
					o := m.PixOffset(x+d[0], y+d[1])
					r, g, bb = r+int(m.Pix[o]), g+int(m.Pix[o+1]), bb+int(m.Pix[o+2])
				}
				_, cb, cr := color.RGBToYCbCr(uint8(r/4), uint8(g/4), uint8(bb/4))
				up[(y/2)*(fw/2)+x/2], vp[(y/2)*(fw/2)+x/2] = cb, cr
			}
		}
		if _, err := w.WriteString("FRAME\n"); err != nil {
			return err
		}
		for _, p := range [][]byte{yp, up, vp} {
			if _, err := w.Write(p); err != nil {
				return err
			}
		}
	}
	return nil
}
