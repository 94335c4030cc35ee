package verify

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
)

// maxFinderCandidates bounds the finder-pattern candidates of one attempt. gozxing picks the
// best three of n candidates in O(n³): a 7 KB PNG tiled with 1,764 finder-like squares kept
// one attempt busy for over 4 s, and larger tilings would take hours. A photo of a certificate
// has three finders and a handful of look-alikes in its text.
const maxFinderCandidates = 64

var errTooManyCandidates = errors.New("verify: too many finder pattern candidates")

// maxAltTriples bounds the other finder triples tried when the first does not decode.
const maxAltTriples = 3

// readQR is gozxing's QRCodeReader.Decode (detector, then decoder) with a bounded finder
// search. On a failed decode it also returns the finder patterns, for fitDecode.
//
// gozxing stops its finder search at the first three confirmed centres of one module size.
// The data area of a valid code can hold a finder look-alike (a dark 3×3 square in a light
// ring in a dark ring, read 1:1:3:1:1 across, down and diagonally); about 1 % of issued
// certificates do, and when it lies above the real bottom-left finder gozxing reads a wrong
// triangle and fails even on a perfect image. So when the first triple fails, the search runs
// over every row and the best other triples (closest to an isosceles right triangle, as
// gozxing ranks them) are tried too.
func readQR(ctx context.Context, bm *gozxing.BitMatrix) (string, *detector.FinderPatternInfo, bool) {
	f, early, err := findFinders(ctx, bm, true)
	if err != nil {
		return "", nil, false
	}
	triples, err := bestTriples(f.GetPossibleCenters(), maxAltTriples+1)
	if err != nil {
		return "", nil, false
	}
	first := triples[0]
	if text, ok := decodeAt(bm, first); ok {
		return text, first, true
	}
	if early { // rows below the stop may hold the real third finder
		if f, _, err = findFinders(ctx, bm, false); err != nil {
			return "", first, false
		}
		if triples, err = bestTriples(f.GetPossibleCenters(), maxAltTriples+1); err != nil {
			return "", first, false
		}
	}
	for _, info := range triples {
		if sameTriple(info, first) {
			continue
		}
		if text, ok := decodeAt(bm, info); ok {
			return text, info, true
		}
	}
	// Grid fitting starts from the best triple of the full search: the real finders when the
	// first triple held a look-alike, the same three otherwise.
	return "", triples[0], false
}

// decodeAt samples the code the finder triple outlines and decodes it.
func decodeAt(bm *gozxing.BitMatrix, info *detector.FinderPatternInfo) (string, bool) {
	det, err := detector.NewDetector(bm).ProcessFinderPatternInfo(info)
	if err != nil {
		return "", false
	}
	res, err := decoder.NewDecoder().Decode(det.GetBits(), hints) // also tries the mirror image
	if err != nil || res == nil {
		return "", false
	}
	return res.GetText(), true
}

// findFinders is gozxing's FinderPatternFinder.Find with TRY_HARDER (every row from the
// start), rewritten on the finder's exported methods so that it can stop when the candidates
// exceed maxFinderCandidates or the time budget runs out. With early set it also stops, as
// gozxing does, once three confirmed centres agree in size, and reports whether it did.
func findFinders(ctx context.Context, bm *gozxing.BitMatrix, early bool) (f *detector.FinderPatternFinder, stopped bool, err error) {
	f = detector.NewFinderPatternFinder(bm, nil)
	maxI, maxJ := bm.GetHeight(), bm.GetWidth()
	iSkip := detector.FinderPatternFinder_MIN_SKIP
	done := false
	skipped := false // mirrors the finder's unexported hasSkipped
	stateCount := make([]int, 5)
	for i := iSkip - 1; i < maxI && !done; i += iSkip {
		if len(f.GetPossibleCenters()) > maxFinderCandidates {
			return nil, false, errTooManyCandidates
		}
		if ctx.Err() != nil { // one row can cost O(width × height) on a hostile image
			return nil, false, ctx.Err()
		}
		clear(stateCount)
		currentState := 0
		for j := 0; j < maxJ; j++ {
			if bm.Get(j, i) { // black
				if currentState&1 == 1 {
					currentState++
				}
				stateCount[currentState]++
				continue
			}
			if currentState&1 == 1 { // white in a white state
				stateCount[currentState]++
				continue
			}
			if currentState != 4 {
				currentState++
				stateCount[currentState]++
				continue
			}
			if !detector.FinderPatternFinder_foundPatternCross(stateCount) {
				detector.FinderPatternFinder_ShiftCounts2(stateCount)
				currentState = 3
				continue
			}
			if !f.HandlePossibleCenter(stateCount, i, j) {
				detector.FinderPatternFinder_ShiftCounts2(stateCount)
				currentState = 3
				continue
			}
			iSkip = 2
			if skipped {
				done = early && f.HaveMultiplyConfirmedCenters()
			} else {
				// FindRowSkip sets hasSkipped exactly when two confirmed centres exist.
				skipped = confirmedCenters(f) >= 2
				if rowSkip := f.FindRowSkip(); rowSkip > stateCount[2] {
					i += rowSkip - stateCount[2] - iSkip
					j = maxJ - 1
				}
			}
			currentState = 0
			clear(stateCount)
		}
		if detector.FinderPatternFinder_foundPatternCross(stateCount) && f.HandlePossibleCenter(stateCount, i, maxJ) {
			iSkip = stateCount[0]
			if skipped {
				done = early && f.HaveMultiplyConfirmedCenters()
			}
		}
	}
	if len(f.GetPossibleCenters()) > maxFinderCandidates {
		return nil, false, errTooManyCandidates
	}
	return f, done, nil
}

// bestTriples returns up to n triples of candidates, best first, ranked as gozxing's
// SelectBestPatterns ranks them: module sizes within a factor 1.4, and the smallest
// departure from an isosceles right triangle. Each is ordered bottom-left, top-left, top-right.
func bestTriples(cands []*detector.FinderPattern, n int) ([]*detector.FinderPatternInfo, error) {
	type triple struct {
		p          [3]*detector.FinderPattern
		distortion float64
	}
	var top []triple // ascending distortion, at most n
	sorted := slices.Clone(cands)
	slices.SortFunc(sorted, func(a, b *detector.FinderPattern) int {
		return cmp.Compare(a.GetEstimatedModuleSize(), b.GetEstimatedModuleSize())
	})
	sq := func(a, b *detector.FinderPattern) float64 {
		x, y := a.GetX()-b.GetX(), a.GetY()-b.GetY()
		return x*x + y*y
	}
	for i := 0; i < len(sorted)-2; i++ {
		for j := i + 1; j < len(sorted)-1; j++ {
			for k := j + 1; k < len(sorted); k++ {
				if sorted[k].GetEstimatedModuleSize() > sorted[i].GetEstimatedModuleSize()*1.4 {
					break // sorted by size: every later k is larger still
				}
				a, b, c := sq(sorted[i], sorted[j]), sq(sorted[j], sorted[k]), sq(sorted[i], sorted[k])
				a, b, c = min(a, b, c), a+b+c-min(a, b, c)-max(a, b, c), max(a, b, c) // ascending
				d := math.Abs(c-2*b) + math.Abs(c-2*a)
				if len(top) == n && d >= top[n-1].distortion {
					continue
				}
				t := triple{[3]*detector.FinderPattern{sorted[i], sorted[j], sorted[k]}, d}
				at, _ := slices.BinarySearchFunc(top, d, func(t triple, d float64) int { return cmp.Compare(t.distortion, d) })
				top = slices.Insert(top, at, t)
				if len(top) > n {
					top = top[:n]
				}
			}
		}
	}
	if len(top) == 0 {
		return nil, errors.New("verify: no three finder patterns of one size")
	}
	infos := make([]*detector.FinderPatternInfo, len(top))
	for i, t := range top {
		bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(t.p[0], t.p[1], t.p[2])
		infos[i] = detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern))
	}
	return infos, nil
}

// sameTriple reports whether two triples are the same three centres, to within half a pixel
// (a second search re-estimates them).
func sameTriple(a, b *detector.FinderPatternInfo) bool {
	near := func(p, q *detector.FinderPattern) bool {
		return math.Abs(p.GetX()-q.GetX()) < 0.5 && math.Abs(p.GetY()-q.GetY()) < 0.5
	}
	return near(a.GetBottomLeft(), b.GetBottomLeft()) && near(a.GetTopLeft(), b.GetTopLeft()) && near(a.GetTopRight(), b.GetTopRight())
}

func confirmedCenters(f *detector.FinderPatternFinder) int {
	n := 0
	for _, c := range f.GetPossibleCenters() {
		if c.GetCount() >= detector.FinderPatternFinder_CENTER_QUORUM {
			n++
		}
	}
	return n
}
