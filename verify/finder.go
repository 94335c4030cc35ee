package verify

import (
	"context"
	"errors"

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

// readQR is gozxing's QRCodeReader.Decode (detector, then decoder) with a bounded finder
// search. On a failed decode it also returns the finder patterns, for fitDecode.
func readQR(ctx context.Context, bm *gozxing.BitMatrix) (string, *detector.FinderPatternInfo, bool) {
	info, err := findFinders(ctx, bm)
	if err != nil {
		return "", nil, false
	}
	det, err := detector.NewDetector(bm).ProcessFinderPatternInfo(info)
	if err != nil {
		return "", info, false
	}
	res, err := decoder.NewDecoder().Decode(det.GetBits(), hints) // also tries the mirror image
	if err != nil || res == nil {
		return "", info, false
	}
	return res.GetText(), info, true
}

// findFinders is gozxing's FinderPatternFinder.Find with TRY_HARDER (every row from the
// start), rewritten on the finder's exported methods so that it can stop when the candidates
// exceed maxFinderCandidates or the time budget runs out.
func findFinders(ctx context.Context, bm *gozxing.BitMatrix) (*detector.FinderPatternInfo, error) {
	f := detector.NewFinderPatternFinder(bm, nil)
	maxI, maxJ := bm.GetHeight(), bm.GetWidth()
	iSkip := detector.FinderPatternFinder_MIN_SKIP
	done := false
	skipped := false // mirrors the finder's unexported hasSkipped
	stateCount := make([]int, 5)
	for i := iSkip - 1; i < maxI && !done; i += iSkip {
		if len(f.GetPossibleCenters()) > maxFinderCandidates {
			return nil, errTooManyCandidates
		}
		if ctx.Err() != nil { // one row can cost O(width × height) on a hostile image
			return nil, ctx.Err()
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
				done = f.HaveMultiplyConfirmedCenters()
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
				done = f.HaveMultiplyConfirmedCenters()
			}
		}
	}
	if len(f.GetPossibleCenters()) > maxFinderCandidates {
		return nil, errTooManyCandidates
	}
	fps, err := f.SelectBestPatterns()
	if err != nil {
		return nil, err
	}
	bl, tl, tr := gozxing.ResultPoint_OrderBestPatterns(fps[0], fps[1], fps[2])
	return detector.NewFinderPatternInfo(bl.(*detector.FinderPattern), tl.(*detector.FinderPattern), tr.(*detector.FinderPattern)), nil
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
