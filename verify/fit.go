package verify

import (
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// fitDecode is the fallback for a code whose finder patterns were found but whose modules were
// sampled wrongly. gozxing places the grid from the three finder centres and one alignment
// pattern; when that pattern is not found (blur, low contrast) it assumes a parallelogram,
// which is wrong under the perspective of a hand-held photo, and the Reed–Solomon check fails.
// Here the fourth point is searched for instead: every candidate grid is scored by how many
// modules of the fixed patterns (finders, separators, timing, alignment patterns) it samples
// correctly, the best grid is refined by moving all four points, and only then is the code
// decoded. The decoder's error correction still decides whether the text is right.
func fitDecode(bm *gozxing.BitMatrix, info *detector.FinderPatternInfo) (string, bool) {
	tl, tr, bl := info.GetTopLeft(), info.GetTopRight(), info.GetBottomLeft()
	ms := (tl.GetEstimatedModuleSize() + tr.GetEstimatedModuleSize() + bl.GetEstimatedModuleSize()) / 3
	if ms < 1 {
		return "", false
	}
	d0 := int(math.Round((dist(tl, tr)+dist(tl, bl))/(2*ms))) + 7
	switch d0 & 3 { // valid dimensions are 1 mod 4
	case 0:
		d0++
	case 2:
		d0--
	case 3:
		d0 += 2
	}
	type cand struct {
		f     *fitter
		score float64
	}
	var cands []cand
	for _, dim := range []int{d0, d0 - 4, d0 + 4} {
		if dim < 21 || dim > 177 {
			continue
		}
		f := newFitter(bm, dim, ms, [4]pt{
			{tl.GetX(), tl.GetY()}, {tr.GetX(), tr.GetY()}, {bl.GetX(), bl.GetY()},
		})
		cands = append(cands, cand{f, f.fit()})
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	dec := decoder.NewDecoder()
	for _, c := range cands {
		if c.score < 0.75 { // not a grid of this size at all
			break
		}
		bits, err := detector.Detector_sampleGrid(bm, c.f.transform(c.f.p), c.f.dim)
		if err != nil {
			continue
		}
		res, err := dec.Decode(bits, hints)
		if err == nil && res != nil {
			return res.GetText(), true
		}
	}
	return "", false
}

// pt is a point in image (or page) pixels.
type pt struct{ x, y float64 }

func dist(a, b gozxing.ResultPoint) float64 { return math.Hypot(a.GetX()-b.GetX(), a.GetY()-b.GetY()) }

// fitter places a dim×dim grid by four image points: the centres of the top-left, top-right
// and bottom-left finders and, as the fourth, the bottom-right alignment pattern's centre (the
// bottom-right finder position for version 1, which has none).
type fitter struct {
	bm       *gozxing.BitMatrix
	dim      int
	ms       float64
	p        [4]pt     // image points being fitted
	src      [4]pt     // their module coordinates
	coords   []float64 // module centres of the known patterns, x,y interleaved
	expected []bool    // dark?
	buf      []float64
}

func newFitter(bm *gozxing.BitMatrix, dim int, ms float64, p [4]pt) *fitter {
	f := &fitter{bm: bm, dim: dim, ms: ms, p: p}
	d := float64(dim)
	f.src = [4]pt{{3.5, 3.5}, {d - 3.5, 3.5}, {3.5, d - 3.5}, {d - 6.5, d - 6.5}}
	if dim == 21 {
		f.src[3] = pt{d - 3.5, d - 3.5}
	}
	// First guess of the fourth point: the parallelogram's corner, 3 modules in (as gozxing).
	k := (f.src[3].x - 3.5) / (d - 7)
	f.p[3] = pt{p[0].x + k*(p[1].x-p[0].x+p[2].x-p[0].x), p[0].y + k*(p[1].y-p[0].y+p[2].y-p[0].y)}
	f.template()
	f.buf = make([]float64, len(f.coords))
	return f
}

func (f *fitter) add(c, r int, dark bool) {
	f.coords = append(f.coords, float64(c)+0.5, float64(r)+0.5)
	f.expected = append(f.expected, dark)
}

// template lists the modules whose value is known for every code of this size.
func (f *fitter) template() {
	n := f.dim
	for _, o := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} { // finders
		for dy := range 7 {
			for dx := range 7 {
				ring := max(abs(dx-3), abs(dy-3))
				f.add(o[0]+dx, o[1]+dy, ring != 2)
			}
		}
	}
	for i := range 8 { // separators
		f.add(7, i, false)
		f.add(i, 7, false)
		f.add(n-8, i, false)
		f.add(n-8+i, 7, false)
		f.add(7, n-8+i, false)
		f.add(i, n-8, false)
	}
	for i := 8; i < n-8; i++ { // timing
		f.add(i, 6, i%2 == 0)
		f.add(6, i, i%2 == 0)
	}
	f.add(8, n-8, true) // the dark module
	if v, err := decoder.Version_GetProvisionalVersionForDimension(n); err == nil {
		centres := v.GetAlignmentPatternCenters()
		last := len(centres) - 1
		for i, cy := range centres {
			for j, cx := range centres {
				if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) {
					continue // under a finder
				}
				for dy := -2; dy <= 2; dy++ {
					for dx := -2; dx <= 2; dx++ {
						f.add(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
					}
				}
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (f *fitter) transform(p [4]pt) *common.PerspectiveTransform {
	s := f.src
	return common.PerspectiveTransform_QuadrilateralToQuadrilateral(
		s[0].x, s[0].y, s[1].x, s[1].y, s[3].x, s[3].y, s[2].x, s[2].y,
		p[0].x, p[0].y, p[1].x, p[1].y, p[3].x, p[3].y, p[2].x, p[2].y)
}

// score is the fraction of known modules that the grid through p samples correctly.
func (f *fitter) score(p [4]pt) float64 {
	copy(f.buf, f.coords)
	f.transform(p).TransformPoints(f.buf)
	w, h := f.bm.GetWidth(), f.bm.GetHeight()
	ok := 0
	for i, want := range f.expected {
		x, y := f.buf[2*i], f.buf[2*i+1]
		if !(x >= 0 && y >= 0 && x < float64(w) && y < float64(h)) { // also catches NaN
			continue
		}
		if f.bm.Get(int(x), int(y)) == want {
			ok++
		}
	}
	return float64(ok) / float64(len(f.expected))
}

// fit searches the fourth point on a grid of whole modules around the first guess, then
// refines all eight coordinates by coordinate descent with shrinking steps. Returns the score.
func (f *fitter) fit() float64 {
	best := f.score(f.p)
	base := f.p[3]
	const reach = 8 // modules
	for dy := -reach; dy <= reach; dy++ {
		for dx := -reach; dx <= reach; dx++ {
			q := f.p
			q[3] = pt{base.x + float64(dx)*f.ms, base.y + float64(dy)*f.ms}
			if s := f.score(q); s > best {
				best, f.p = s, q
			}
		}
	}
	for _, step := range []float64{1, 0.5, 0.25} {
		for pass := 0; pass < 20; pass++ {
			improved := false
			for k := range 8 {
				for _, sign := range []float64{-1, 1} {
					q := f.p
					d := sign * step * f.ms
					if k%2 == 0 {
						q[k/2].x += d
					} else {
						q[k/2].y += d
					}
					if s := f.score(q); s > best {
						best, f.p, improved = s, q, true
					}
				}
			}
			if !improved {
				break
			}
		}
	}
	return best
}
