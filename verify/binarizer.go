package verify

import (
	"github.com/makiuchi-d/gozxing"
)

// midrangeBinarizer thresholds each 8×8 block at the midpoint between the darkest and the
// lightest pixel of the surrounding 7×7 blocks. gozxing's hybrid binarizer uses the local mean
// instead, which next to a finder pattern (three sides of white quiet zone) lies above the
// midpoint: dark modules grow, the finder's light ring shrinks below the 1:1:3:1:1 tolerance
// and the pattern is missed on blurred, low-contrast photos. The midpoint has no such bias.
type midrangeBinarizer struct {
	*gozxing.GlobalHistogramBinarizer // source, sizes and GetBlackRow
	matrix                            *gozxing.BitMatrix
}

const (
	mrBlock    = 8
	mrRadius   = 3  // blocks on each side
	mrMinRange = 24 // below this a neighbourhood is taken as blank paper (as gozxing does)
)

func newMidrangeBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return &midrangeBinarizer{GlobalHistogramBinarizer: gozxing.NewGlobalHistgramBinarizer(src).(*gozxing.GlobalHistogramBinarizer)}
}

func (b *midrangeBinarizer) CreateBinarizer(src gozxing.LuminanceSource) gozxing.Binarizer {
	return newMidrangeBinarizer(src)
}

func (b *midrangeBinarizer) GetBlackMatrix() (*gozxing.BitMatrix, error) {
	if b.matrix != nil {
		return b.matrix, nil
	}
	src := b.GetLuminanceSource()
	w, h := src.GetWidth(), src.GetHeight()
	lum := src.GetMatrix()
	m, err := gozxing.NewBitMatrix(w, h)
	if err != nil {
		return nil, err
	}
	bw, bh := (w+mrBlock-1)/mrBlock, (h+mrBlock-1)/mrBlock
	bmin := make([]uint8, bw*bh)
	bmax := make([]uint8, bw*bh)
	for by := range bh {
		for bx := range bw {
			lo, hi := uint8(255), uint8(0)
			for y := by * mrBlock; y < min(h, (by+1)*mrBlock); y++ {
				for _, v := range lum[y*w+bx*mrBlock : y*w+min(w, (bx+1)*mrBlock)] {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			bmin[by*bw+bx], bmax[by*bw+bx] = lo, hi
		}
	}
	// Neighbourhood extremes, separably: rows, then columns.
	nmin := spread(bmin, bw, bh, func(a, b uint8) uint8 { return min(a, b) })
	nmax := spread(bmax, bw, bh, func(a, b uint8) uint8 { return max(a, b) })
	for by := range bh {
		for bx := range bw {
			lo, hi := int(nmin[by*bw+bx]), int(nmax[by*bw+bx])
			if hi-lo < mrMinRange {
				continue // blank: all light
			}
			t := uint8((lo + hi) / 2)
			for y := by * mrBlock; y < min(h, (by+1)*mrBlock); y++ {
				row := lum[y*w : (y+1)*w]
				for x := bx * mrBlock; x < min(w, (bx+1)*mrBlock); x++ {
					if row[x] <= t {
						m.Set(x, y)
					}
				}
			}
		}
	}
	b.matrix = m
	return m, nil
}

// spread applies f over a (2·mrRadius+1)² window of a bw×bh grid.
func spread(a []uint8, bw, bh int, f func(x, y uint8) uint8) []uint8 {
	tmp := make([]uint8, len(a))
	for y := range bh {
		for x := range bw {
			v := a[y*bw+x]
			for k := max(0, x-mrRadius); k <= min(bw-1, x+mrRadius); k++ {
				v = f(v, a[y*bw+k])
			}
			tmp[y*bw+x] = v
		}
	}
	out := make([]uint8, len(a))
	for y := range bh {
		for x := range bw {
			v := tmp[y*bw+x]
			for k := max(0, y-mrRadius); k <= min(bh-1, y+mrRadius); k++ {
				v = f(v, tmp[k*bw+x])
			}
			out[y*bw+x] = v
		}
	}
	return out
}
