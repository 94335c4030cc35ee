package content

import (
	"context"
	"encoding/json"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/content/ocr"
)

func newTestReader(t *testing.T, e TextEngine, opt Options) *Reader {
	t.Helper()
	r, err := NewReader(e, opt)
	if err != nil {
		t.Fatal(err)
	}
	r.now = func() time.Time { return testToday }
	return r
}

func TestReadDocument(t *testing.T) {
	e := &fakeEngine{bySize: map[image.Point][]ocr.Line{{800, 500}: mkLines(docs["driving_licence_main"]...)}}
	r := newTestReader(t, e, Options{})
	f := r.Read(context.Background(), plainImage(800, 500))
	if f.Status != StatusRead || f.Kind != "driving_licence_main" || f.Confidence < 0.9 || f.Rotation != 0 {
		t.Fatalf("facts %+v", f)
	}
	if f.Fields[FieldIDNumber].Value != "41010219800101123X" || f.Faces == nil || f.Faces.Count != 0 {
		t.Errorf("fields %v faces %+v", f.Fields, f.Faces)
	}
	if f.Engine != (EngineInfo{Text: "fake 1", Faces: FacesEngine}) {
		t.Errorf("engine %+v", f.Engine)
	}
	b, _ := json.Marshal(f)
	for _, want := range []string{`"status":"read"`, `"kind":"driving_licence_main"`, `"id_number":{"value":"41010219800101123X","confidence":0.97,"valid":true}`, `"faces":{"count":0,"largest":0,"largest_px":0}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), "rotation") {
		t.Errorf("rotation 0 not omitted: %s", b)
	}
}

// The image is downscaled to MaxSide before the engine sees it.
func TestReadDownscales(t *testing.T) {
	e := &fakeEngine{bySize: map[image.Point][]ocr.Line{{1600, 800}: mkLines(docs["id_card"]...)}}
	r := newTestReader(t, e, Options{})
	if f := r.Read(context.Background(), plainImage(3200, 1600)); f.Kind != "id_card" {
		t.Fatalf("kind %q; engine saw %v", f.Kind, e.calls())
	}
}

// A page on its side: nothing reads upright, the 90° turn does; the retries stop there.
func TestReadRotationRetry(t *testing.T) {
	garbage := make([]string, 10)
	for i := range garbage {
		garbage[i] = "口口三川"
	}
	e := &fakeEngine{bySize: map[image.Point][]ocr.Line{
		{600, 900}: mkLines(garbage...),
		{900, 600}: mkLines(docs["vehicle_licence_front"]...),
	}}
	r := newTestReader(t, e, Options{})
	f := r.Read(context.Background(), plainImage(600, 900))
	if f.Kind != "vehicle_licence_front" || f.Rotation != 90 || f.Fields[FieldPlate].Value != "豫A12345" {
		t.Fatalf("facts %+v", f)
	}
	if n := len(e.calls()); n != 2 {
		t.Errorf("%d engine runs, want 2 (upright, then 90° which is confident)", n)
	}
}

// The engine itself read every line on its side (Angle 90: text runs top to bottom): the page
// is turned 270° without another run.
func TestReadRotationFromLineAngles(t *testing.T) {
	lines := mkLines(docs["id_card"]...)
	for i := range lines {
		lines[i].Angle = 90
	}
	e := &fakeEngine{bySize: map[image.Point][]ocr.Line{{500, 800}: lines}}
	r := newTestReader(t, e, Options{})
	f := r.Read(context.Background(), plainImage(500, 800))
	if f.Kind != "id_card" || f.Rotation != 270 || len(e.calls()) != 1 {
		t.Fatalf("facts %+v after %d runs", f, len(e.calls()))
	}
}

// A photo with no text is not retried turned, and no face there makes it other_photo.
func TestReadPictureWithoutText(t *testing.T) {
	e := &fakeEngine{}
	r := newTestReader(t, e, Options{})
	f := r.Read(context.Background(), plainImage(640, 480))
	if f.Status != StatusRead || f.Kind != KindOtherPhoto || f.Confidence >= 0.9 || len(e.calls()) != 1 {
		t.Fatalf("facts %+v after %d runs", f, len(e.calls()))
	}
}

// A plate on a picture with no document keywords is a vehicle photo.
func TestReadVehiclePhoto(t *testing.T) {
	e := &fakeEngine{bySize: map[image.Point][]ocr.Line{{640, 480}: mkLines("豫A12345")}}
	r := newTestReader(t, e, Options{})
	f := r.Read(context.Background(), plainImage(640, 480))
	if f.Kind != "vehicle_photo_45" || f.Fields[FieldPlate].Value != "豫A12345" {
		t.Fatalf("facts %+v", f)
	}
}

func TestReadStatuses(t *testing.T) {
	cases := []struct {
		name   string
		engine TextEngine
		opt    Options
		ctx    func() (context.Context, context.CancelFunc)
		want   string
		maxDur time.Duration
	}{
		{"no engine", nil, Options{}, nil, StatusUnavailable, time.Second},
		{"engine error", &fakeEngine{err: errEngine}, Options{}, nil, StatusFailed, time.Second},
		{"engine panics", &fakeEngine{panics: true}, Options{}, nil, StatusFailed, time.Second},
		{"over budget", &fakeEngine{delay: 2 * time.Second}, Options{Budget: 100 * time.Millisecond}, nil, StatusTimeout, time.Second},
		{"over budget, engine ignores ctx", &fakeEngine{delay: 2 * time.Second, ignores: true}, Options{Budget: 100 * time.Millisecond}, nil, StatusTimeout, time.Second},
		{"caller gives up", &fakeEngine{delay: 2 * time.Second}, Options{}, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, StatusTimeout, time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newTestReader(t, c.engine, c.opt)
			ctx := context.Background()
			if c.ctx != nil {
				var cancel context.CancelFunc
				ctx, cancel = c.ctx()
				defer cancel()
			}
			start := time.Now()
			f := r.Read(ctx, plainImage(320, 240))
			if f.Status != c.want {
				t.Fatalf("status %q, want %q (%+v)", f.Status, c.want, f)
			}
			if d := time.Since(start); d > c.maxDur {
				t.Errorf("took %v", d)
			}
			if c.want != StatusUnavailable && f.Kind != KindUnknown {
				t.Errorf("kind %q on status %s", f.Kind, f.Status)
			}
			if c.engine == nil && (f.Faces == nil || f.Engine.Text != "" || r.TextAvailable()) {
				t.Errorf("unavailable facts %+v", f)
			}
		})
	}
	if r := newTestReader(t, &fakeEngine{}, Options{}); r.Read(context.Background(), nil).Status != StatusFailed {
		t.Error("nil image not failed")
	}
}

// Workers bounds the engine runs at once, even when callers time out and move on: a slot is
// freed only when the engine returns.
func TestReadPoolBound(t *testing.T) {
	for _, workers := range []int{1, 2} {
		e := &fakeEngine{delay: 150 * time.Millisecond, ignores: true}
		r := newTestReader(t, e, Options{Workers: workers, Budget: 20 * time.Millisecond})
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.Read(context.Background(), plainImage(64, 64))
			}()
		}
		wg.Wait()
		// Let the abandoned runs finish before reading the peak.
		for e.running.Load() > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		if p := int(e.peak.Load()); p != workers {
			t.Errorf("workers %d: peak %d engine runs at once", workers, p)
		}
	}
}

func TestRotate(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Pix[0] = 255 // red at (0,0), the top-left corner
	cases := []struct {
		deg  int
		at   image.Point
		size image.Point
	}{
		{90, image.Pt(1, 0), image.Pt(2, 3)},  // top-left → top-right
		{180, image.Pt(2, 1), image.Pt(3, 2)}, // → bottom-right
		{270, image.Pt(0, 2), image.Pt(2, 3)}, // → bottom-left
	}
	for _, c := range cases {
		out := rotate(img, c.deg).(*image.RGBA)
		if out.Bounds().Size() != c.size || out.RGBAAt(c.at.X, c.at.Y).R != 255 {
			t.Errorf("rotate %d: size %v, pixel at %v = %v", c.deg, out.Bounds().Size(), c.at, out.RGBAAt(c.at.X, c.at.Y))
		}
	}
}
