package ocr

import (
	"context"
	"testing"
	"time"

	ort "github.com/yalue/onnxruntime_go"
)

func TestStagesTmp(t *testing.T) {
	e := openEngine(t, 960)
	f := loadFonts(t)
	page := render(t, f, 1500, 1000, docItems())
	ctx := context.Background()
	for rep := 0; rep < 3; rep++ {
		t0 := time.Now()
		src := toRGBA(page)
		dw, dh := detSize(1500, 1000, 960)
		in := detInput(src, dw, dh)
		t1 := time.Now()
		var boxes []detBox
		var tpost time.Duration
		e.run(ctx, e.det, ort.NewShape(1, 3, int64(dh), int64(dw)), in, func(out []float32, s ort.Shape) error {
			tp := time.Now()
			boxes = dbBoxes(out, dw, dh, 1500, 1000)
			tpost = time.Since(tp)
			return nil
		})
		t2 := time.Now()
		strips := make([]strip, len(boxes))
		for i, bx := range boxes {
			strips[i] = cropStrip(src, bx.r, recMaxW)
		}
		t3 := time.Now()
		e.classify(ctx, strips)
		t4 := time.Now()
		e.recognise(ctx, strips)
		t5 := time.Now()
		t.Logf("prep %v det %v (post %v) crop %v cls %v rec %v", t1.Sub(t0), t2.Sub(t1), tpost, t3.Sub(t2), t4.Sub(t3), t5.Sub(t4))
	}
}
