package ocr

import (
	"context"
	"testing"
	"time"

	ort "github.com/yalue/onnxruntime_go"
)

func TestRecTmp(t *testing.T) {
	e := openEngine(t, 960)
	ctx := context.Background()
	for _, c := range []struct{ n, w int }{{1, 320}, {1, 320}, {1, 320}, {4, 320}, {4, 320}, {8, 320}, {1, 640}, {1, 640}, {2, 640}, {1, 960}, {1, 960}, {1, 328}, {1, 336}} {
		data := make([]float32, c.n*3*48*c.w)
		t0 := time.Now()
		e.run(ctx, e.rec, ort.NewShape(int64(c.n), 3, 48, int64(c.w)), data, func(out []float32, s ort.Shape) error { return nil })
		t.Logf("n=%d w=%d %v", c.n, c.w, time.Since(t0))
	}
}
