package verify

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/image/draw"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/certs/render"
)

// The degraded photo set: synthetic phone photos of a rendered certificate page, generated
// from a fixed seed so every run measures the same pictures (photo i depends only on the seed
// and i, so the test's 30 photos are the first 30 of the benchmark's 100).

const photoSeed = 20261205

// testNow is the verification time of the fixtures: 2026-12-05 10:30 in China.
var testNow = time.Date(2026, 12, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

// fixture is a certificate issued by a temporary key store and its rendered page.
type fixture struct {
	cert    certs.Certificate
	tl      *certs.TrustList
	payload string
	page    *image.RGBA
	qrQuad  [4]pt // the code with its quiet zone, in page pixels
}

// testRenderer draws the test certificates; it parses the fonts once.
var testRenderer = render.New()

// newFixture issues a real certificate. The key store's key (and so the payload's bits) comes
// from crypto/rand; tests make it reproducible with cryptotest.SetGlobalRandom.

func newFixture(tb testing.TB, dir string) *fixture {
	tb.Helper()
	ks, err := keystore.OpenWith(dir, keystore.Options{Now: func() time.Time { return testNow.Add(-24 * time.Hour) }})
	if err != nil {
		tb.Fatal(err)
	}
	exp, err := certs.ValidUntil("2027-12-21")
	if err != nil {
		tb.Fatal(err)
	}
	c := certs.Certificate{
		ID: certs.NewCertificateID(), Type: certs.TypeIntegrityAssessment, IssuedAt: testNow,
		ExpiresAt: exp, Authority: "河南省交通运输厅",
		Subject: "张三", IDNumber: "41010519800517002X", QualificationNumber: "Q410100000001",
		Categories: []string{"freight_driver", "dg_driver"}, Grade: "AAA",
		CycleStart: "2025-12-01", CycleEnd: "2026-12-01",
	}
	payload, err := ks.Issue(c)
	if err != nil {
		tb.Fatal(err)
	}
	tl, err := ks.TrustList()
	if err != nil {
		tb.Fatal(err)
	}
	page, err := testRenderer.Image(c, payload)
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{cert: c, tl: tl, payload: payload, page: page}
	f.qrQuad = locateQR(tb, page, payload)
	return f
}

// locateQR finds the code on the clean page (so the generator can keep it inside the frame)
// from the finder-pattern centres gozxing reports, without relying on certs' layout.
func locateQR(tb testing.TB, page *image.RGBA, payload string) [4]pt {
	tb.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(page)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil || res.GetText() != payload {
		tb.Fatalf("clean page does not decode: %v", err)
	}
	q, err := render.EncodeQR(payload)
	if err != nil {
		tb.Fatal(err)
	}
	p := res.GetResultPoints() // bottom-left, top-left, top-right finder centres
	bl := pt{p[0].GetX(), p[0].GetY()}
	tl := pt{p[1].GetX(), p[1].GetY()}
	tr := pt{p[2].GetX(), p[2].GetY()}
	br := pt{tr.x + bl.x - tl.x, tr.y + bl.y - tl.y}
	c := pt{(bl.x + tr.x) / 2, (bl.y + tr.y) / 2}
	dim := float64(len(q.Modules))
	k := (dim + 2*render.QuietZone) / (dim - 7) // centres span dim-7 modules
	var quad [4]pt
	for i, v := range []pt{tl, tr, br, bl} {
		quad[i] = pt{c.x + (v.x-c.x)*k, c.y + (v.y-c.y)*k}
	}
	return quad
}

// photo is one generated picture and the degradations it got.
type photo struct {
	jpeg   []byte
	w, h   int
	params string
}

var photoSizes = [][2]int{{1600, 1200}, {2048, 1536}, {2592, 1944}, {3264, 2448}, {4000, 3000}}

var deskColours = []color.RGBA{
	{128, 92, 60, 255},   // wood
	{150, 150, 146, 255}, // grey desk
	{52, 52, 58, 255},    // dark
	{212, 206, 196, 255}, // light desk (low contrast with the paper)
	{62, 98, 72, 255},    // green mat
}

// photoCache keeps generated photos across tests and benchmarks of one run.
var photoCache struct {
	sync.Mutex
	photos map[int]*photo
}

// photos returns photos 0..n-1, generating the missing ones on all CPUs.
func photos(tb testing.TB, f *fixture, n int) []*photo {
	tb.Helper()
	photoCache.Lock()
	defer photoCache.Unlock()
	if photoCache.photos == nil {
		photoCache.photos = map[int]*photo{}
	}
	var todo []int
	for i := range n {
		if photoCache.photos[i] == nil {
			todo = append(todo, i)
		}
	}
	out := make([]*photo, len(todo))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				out[j] = makePhoto(f, todo[j])
			}
		})
	}
	for j := range todo {
		next <- j
	}
	close(next)
	wg.Wait()
	for j, i := range todo {
		photoCache.photos[i] = out[j]
	}
	res := make([]*photo, n)
	for i := range n {
		res[i] = photoCache.photos[i]
	}
	return res
}

// makePhoto generates photo i: page on a desk, perspective and rotation, blur, uneven light,
// low contrast, sensor noise, JPEG.
func makePhoto(f *fixture, i int) *photo {
	rng := rand.New(rand.NewPCG(photoSeed, uint64(i)))
	size := photoSizes[rng.IntN(len(photoSizes))]
	w, h := size[0], size[1]
	if rng.Float64() < 0.7 { // a portrait page is mostly shot in portrait
		w, h = h, w
	}
	pw, ph := float64(f.page.Bounds().Dx()), float64(f.page.Bounds().Dy())

	// Placement: rotate, scale so the rotated page fills 60–100 % of the frame on its limiting
	// side, shift within the slack, then move each corner up to 15 % of the page size (the
	// perspective of a hand-held phone). Redraw until the code and its quiet zone are in frame.
	var hom mat3
	var rot, fill, scale float64
	for try := 0; ; try++ {
		rot = (rng.Float64()*2 - 1) * 25 * math.Pi / 180
		fill = 0.6 + 0.4*rng.Float64()
		cs, sn := math.Abs(math.Cos(rot)), math.Abs(math.Sin(rot))
		bw, bh := pw*cs+ph*sn, pw*sn+ph*cs
		scale = fill * math.Min(float64(w)/bw, float64(h)/bh)
		cx := float64(w)/2 + (rng.Float64()*2-1)*(float64(w)-bw*scale)/2
		cy := float64(h)/2 + (rng.Float64()*2-1)*(float64(h)-bh*scale)/2
		src := [4]pt{{0, 0}, {pw, 0}, {pw, ph}, {0, ph}}
		var dst [4]pt
		for k, p := range src {
			x, y := (p.x-pw/2)*scale, (p.y-ph/2)*scale
			x, y = x*math.Cos(rot)-y*math.Sin(rot), x*math.Sin(rot)+y*math.Cos(rot)
			dst[k] = pt{
				cx + x + (rng.Float64()*2-1)*0.15*pw*scale,
				cy + y + (rng.Float64()*2-1)*0.15*ph*scale,
			}
		}
		hom = homography(src, dst)
		if quadInside(hom, f.qrQuad, w, h) || try > 200 {
			break
		}
	}

	// The page is first reduced to about the photo's scale with a proper filter (a lens
	// integrates light; point-sampling a 3× larger page would alias), then warped bilinearly.
	page := f.page
	if scale < 0.95 {
		sw, sh := int(math.Round(pw*scale)), int(math.Round(ph*scale))
		small := image.NewRGBA(image.Rect(0, 0, sw, sh))
		draw.BiLinear.Scale(small, small.Bounds(), page, page.Bounds(), draw.Src, nil)
		page = small
		hom = hom.mul(scaleMat(pw/float64(sw), ph/float64(sh)))
	}
	inv := hom.inverse()

	desk := deskColours[rng.IntN(len(deskColours))]
	tint := [3]float64{1, 0.96 + 0.04*rng.Float64(), 0.9 + 0.1*rng.Float64()} // paper not quite white
	planes := warp(page, inv, w, h, desk, tint, rng)

	blur := 2 * rng.Float64()
	for _, p := range planes {
		boxBlur(p, w, h, blur)
	}

	// Light: a linear gradient in a random direction (0.55–1.0 across the frame) times a
	// vignette; contrast squeezed to 40–70 % of the range at a random black level; noise.
	ang := rng.Float64() * 2 * math.Pi
	gmin := 0.55 + 0.3*rng.Float64()
	vig := 0.4 * rng.Float64()
	contrast := 0.4 + 0.3*rng.Float64()
	black := (0.05 + (0.9-contrast)*rng.Float64()) * 255
	sigma := 2 + 6*rng.Float64()
	quality := 45 + rng.IntN(46)

	img := image.NewRGBA(image.Rect(0, 0, w, h))
	dx, dy := math.Cos(ang), math.Sin(ang)
	diag := math.Hypot(float64(w), float64(h)) / 2
	noise := noiseTable()
	var bits uint64
	for y := range h {
		for x := range w {
			nx, ny := (float64(x)-float64(w)/2)/diag, (float64(y)-float64(h)/2)/diag
			t := (nx*dx + ny*dy + 1) / 2 // 0..1 along the gradient
			light := (gmin + (1-gmin)*t) * (1 - vig*(nx*nx+ny*ny))
			o := y*w + x
			for c := range 3 {
				if c == 0 {
					bits = rng.Uint64()
				}
				n := noise[uint16(bits)]
				bits >>= 16
				v := black + contrast*float64(planes[c][o])*light + sigma*n
				img.Pix[4*o+c] = uint8(max(0, min(255, v+0.5)))
			}
			img.Pix[4*o+3] = 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	return &photo{jpeg: buf.Bytes(), w: w, h: h, params: fmt.Sprintf(
		"%dx%d rot=%.0f° fill=%.2f module=%.1fpx blur=%.1f light=%.2f vig=%.2f contrast=%.2f noise=%.1f q=%d",
		w, h, rot*180/math.Pi, fill, scale*moduleSize(f), blur, gmin, vig, contrast, sigma, quality)}
}

// moduleSize is the code's module size on the page, in page pixels.
func moduleSize(f *fixture) float64 {
	q, _ := render.EncodeQR(f.payload)
	return math.Hypot(f.qrQuad[1].x-f.qrQuad[0].x, f.qrQuad[1].y-f.qrQuad[0].y) / float64(q.Size())
}

// warp renders the page through inv (photo → page coordinates) onto a desk, as three planes.
// Samples outside the page take the desk's colour, so the page edge is anti-aliased too.
func warp(page *image.RGBA, inv mat3, w, h int, desk color.RGBA, tint [3]float64, rng *rand.Rand) [3][]uint8 {
	var planes [3][]uint8
	for c := range planes {
		planes[c] = make([]uint8, w*h)
	}
	// Desk texture: a coarse random grid, bilinearly interpolated (low-frequency blotches).
	const gw, gh = 9, 9
	var grid [gh][gw]float64
	for y := range gh {
		for x := range gw {
			grid[y][x] = 0.85 + 0.3*rng.Float64()
		}
	}
	pw, ph := page.Bounds().Dx(), page.Bounds().Dy()
	deskRGB := [3]float64{float64(desk.R), float64(desk.G), float64(desk.B)}
	var bg [3]float64
	texel := func(ix, iy, c int) float64 {
		if ix < 0 || iy < 0 || ix >= pw || iy >= ph {
			return bg[c]
		}
		return float64(page.Pix[iy*page.Stride+4*ix+c]) * tint[c]
	}
	for y := range h {
		gy := float64(y) / float64(h) * (gh - 1)
		gy0 := min(int(gy), gh-2)
		fy := gy - float64(gy0)
		for x := range w {
			gx := float64(x) / float64(w) * (gw - 1)
			gx0 := min(int(gx), gw-2)
			fx := gx - float64(gx0)
			tex := (grid[gy0][gx0]*(1-fx)+grid[gy0][gx0+1]*fx)*(1-fy) +
				(grid[gy0+1][gx0]*(1-fx)+grid[gy0+1][gx0+1]*fx)*fy
			for c := range 3 {
				bg[c] = deskRGB[c] * tex
			}
			u, v := inv.apply(float64(x)+0.5, float64(y)+0.5)
			u, v = u-0.5, v-0.5
			o := y*w + x
			if u < -1 || v < -1 || u > float64(pw) || v > float64(ph) {
				for c := range 3 {
					planes[c][o] = uint8(min(255, bg[c]))
				}
				continue
			}
			ix, iy := int(math.Floor(u)), int(math.Floor(v))
			ax, ay := u-float64(ix), v-float64(iy)
			for c := range 3 {
				s := (texel(ix, iy, c)*(1-ax)+texel(ix+1, iy, c)*ax)*(1-ay) +
					(texel(ix, iy+1, c)*(1-ax)+texel(ix+1, iy+1, c)*ax)*ay
				planes[c][o] = uint8(min(255, s+0.5))
			}
		}
	}
	return planes
}

// boxBlur blurs a plane with a box of radius r (fractional: the outermost taps are weighted),
// horizontally then vertically.
func boxBlur(p []uint8, w, h int, r float64) {
	n := int(r)
	frac := r - float64(n)
	if n == 0 && frac < 0.05 {
		return
	}
	// Fixed-point weights for taps -n-1..n+1.
	total := float64(2*n+1) + 2*frac
	wIn := int(65536/total + 0.5)
	wOut := int(65536*frac/total + 0.5)
	tmp := make([]uint8, len(p))
	pass := func(src, dst []uint8, length, count, step, stride int) {
		for k := range count {
			base := k * stride
			for i := range length {
				acc := 0
				for d := -n - 1; d <= n+1; d++ {
					j := max(0, min(length-1, i+d))
					wt := wIn
					if d == -n-1 || d == n+1 {
						wt = wOut
					}
					acc += wt * int(src[base+j*step])
				}
				dst[base+i*step] = uint8(min(255, (acc+32768)>>16))
			}
		}
	}
	pass(p, tmp, w, h, 1, w) // rows
	pass(tmp, p, h, w, w, 1) // columns
}

var noiseOnce = sync.OnceValue(func() []float64 {
	rng := rand.New(rand.NewPCG(photoSeed, 0xa11ce))
	t := make([]float64, 1<<16)
	for i := range t {
		t[i] = rng.NormFloat64()
	}
	return t
})

// noiseTable is 65536 standard normal samples, indexed by 16 random bits: much cheaper than a
// NormFloat64 per channel of 12 million pixels.
func noiseTable() []float64 { return noiseOnce() }

// mat3 is a 3×3 projective transform, row-major.
type mat3 [9]float64

func (m mat3) apply(x, y float64) (float64, float64) {
	w := m[6]*x + m[7]*y + m[8]
	return (m[0]*x + m[1]*y + m[2]) / w, (m[3]*x + m[4]*y + m[5]) / w
}

func (m mat3) mul(n mat3) mat3 {
	var r mat3
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				r[3*i+j] += m[3*i+k] * n[3*k+j]
			}
		}
	}
	return r
}

func scaleMat(sx, sy float64) mat3 { return mat3{sx, 0, 0, 0, sy, 0, 0, 0, 1} }

func (m mat3) inverse() mat3 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	A, B, C := e*i-f*h, -(d*i - f*g), d*h-e*g
	det := a*A + b*B + c*C
	return mat3{
		A / det, -(b*i - c*h) / det, (b*f - c*e) / det,
		B / det, (a*i - c*g) / det, -(a*f - c*d) / det,
		C / det, -(a*h - b*g) / det, (a*e - b*d) / det,
	}
}

// homography maps the four src points onto the four dst points (solves the 8×8 system).
func homography(src, dst [4]pt) mat3 {
	var a [8][9]float64
	for k := range 4 {
		x, y, u, v := src[k].x, src[k].y, dst[k].x, dst[k].y
		a[2*k] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*k+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := range 8 { // Gauss–Jordan with partial pivoting
		p := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		for r := range 8 {
			if r != col {
				k := a[r][col] / a[col][col]
				for c := col; c < 9; c++ {
					a[r][c] -= k * a[col][c]
				}
			}
		}
	}
	var m mat3
	for r := range 8 {
		m[r] = a[r][8] / a[r][r]
	}
	m[8] = 1
	return m
}

// quadInside reports whether the page quad q, mapped by m, lies in the w×h frame with a 2 %
// margin.
func quadInside(m mat3, q [4]pt, w, h int) bool {
	mx, my := 0.02*float64(w), 0.02*float64(h)
	for _, p := range q {
		x, y := m.apply(p.x, p.y)
		if x < mx || y < my || x > float64(w)-mx || y > float64(h)-my {
			return false
		}
	}
	return true
}
