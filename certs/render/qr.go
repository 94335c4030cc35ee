package render

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/makiuchi-d/gozxing"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	qrcode "github.com/skip2/go-qrcode"
)

// MaxQRVersion is the largest QR version a payload may need (design.md budget).
const MaxQRVersion = 10

// QuietZone is the margin in modules around the code (the QR standard's minimum).
const QuietZone = 4

// QR is an encoded payload: the module matrix without quiet zone.
type QR struct {
	Version int
	Modules [][]bool // [y][x], true = dark
}

// EncodeQR encodes the payload at level M in the smallest version that holds it and refuses
// anything above version 10. The payload alphabet is QR's alphanumeric set, so the encoder
// uses alphanumeric mode.
//
// About 3 in 100 symbols carry a finder look-alike in their data modules under the mask the
// penalty score picks, and zxing-family readers, which stop their finder search at the first
// three patterns of one size, then read a wrong triangle and fail on about half of those even
// on a perfect print. So the mask is the one of least penalty among those whose data holds no
// look-alike (qrmask.go).
func EncodeQR(payload string) (*QR, error) {
	q, err := goQRSymbol(payload)
	if err != nil {
		return nil, err
	}
	return cleanMask(q), nil
}

// goQRSymbol is go-qrcode's symbol for the payload, under the mask go-qrcode picks.
func goQRSymbol(payload string) (*QR, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("certs: QR: %v", err)
	}
	if q.VersionNumber > MaxQRVersion {
		return nil, fmt.Errorf("certs: payload of %d characters needs QR version %d, over %d", len(payload), q.VersionNumber, MaxQRVersion)
	}
	q.DisableBorder = true // we draw the quiet zone ourselves, in whole modules
	return &QR{Version: q.VersionNumber, Modules: q.Bitmap()}, nil
}

// Size is the symbol's width in modules, quiet zone included.
func (q *QR) Size() int { return len(q.Modules) + 2*QuietZone }

// Image renders the code at px pixels per module (whole pixels, so no module is resampled),
// with the quiet zone, black on white.
func (q *QR) Image(px int) *image.Gray {
	n := q.Size() * px
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	q.draw(grayTarget{img}, image.Point{}, px)
	return img
}

// draw paints the dark modules at px pixels per module, with the quiet zone starting at at.
func (q *QR) draw(dst drawTarget, at image.Point, px int) {
	for y, row := range q.Modules {
		for x, dark := range row {
			if dark {
				x0, y0 := at.X+(x+QuietZone)*px, at.Y+(y+QuietZone)*px
				dst.fill(image.Rect(x0, y0, x0+px, y0+px), color.Black)
			}
		}
	}
}

// drawTarget is the minimal surface QR drawing needs.
type drawTarget interface {
	fill(r image.Rectangle, c color.Color)
}

func (g grayTarget) fill(r image.Rectangle, c color.Color) {
	v := color.GrayModel.Convert(c).(color.Gray).Y
	r = r.Intersect(g.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := g.Pix[g.PixOffset(r.Min.X, y):g.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = v
		}
	}
}

type grayTarget struct{ *image.Gray }

// finderLookalikes counts the finder patterns a full zxing search finds in the symbol, beyond
// its three real ones, with the real ones' module size. (Candidates of other sizes, such as
// 1:1:4:1:1 runs, never stop zxing's search early: it waits for three of one size.) The
// search (gozxing's multi-code finder) reads every row, so the count does not depend on where
// a look-alike lies.
func finderLookalikes(q *QR) int {
	const px = 4
	bmp, err := gozxing.NewBinaryBitmapFromImage(q.Image(px))
	if err != nil {
		return 0
	}
	bm, err := bmp.GetBlackMatrix()
	if err != nil {
		return 0
	}
	f := multidetector.NewMultiFinderPatternFinder(bm, nil)
	f.FindMulti(map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}) // only its candidates matter
	n := 0
	for _, c := range f.GetPossibleCenters() {
		if math.Abs(c.GetEstimatedModuleSize()-px) < px/8.0 {
			n++
		}
	}
	return max(n-3, 0)
}
