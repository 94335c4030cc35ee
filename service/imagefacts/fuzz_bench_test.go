package imagefacts

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

func FuzzAnalyze(f *testing.F) {
	small := idPhoto(idBlue, false).SubImage(image.Rect(100, 100, 140, 150))
	f.Add(imagegatetest.EncodePNG(f, small))
	f.Add(imagegatetest.EncodeJPEG(f, small, 75))
	var g bytes.Buffer
	_ = gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 8, 8), palette.Plan9), nil)
	f.Add(g.Bytes())
	f.Add(hugePNG(30000, 30000))
	f.Add(hugePNG(3, 2))
	f.Add(tinyProgressiveJPEG(64, 48))
	f.Add([]byte{})
	f.Add([]byte("\xff\xd8\xff\xe0garbage"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBP"))
	// A small pixel cap keeps each run fast; the cap itself is one of the allowed errors.
	a := NewAnalyzer(Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20})
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := a.Analyze(context.Background(), bytes.NewReader(data), Options{Background: len(data)%2 == 0})
		if err != nil {
			if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTooManyPixels) {
				return
			}
			t.Fatalf("unexpected error: %v", err)
		}
		if facts.SizeBytes != int64(len(data)) || len(facts.SHA256) != 64 {
			t.Fatalf("size/hash: %+v", facts)
		}
		if facts.Readable && facts.Format == "gif" {
			if facts.Width <= 0 || facts.Height <= 0 || facts.Sharpness != nil || facts.Background != "" {
				t.Fatalf("readable GIF: %+v", facts)
			}
		} else if facts.Readable {
			if facts.Format != "png" && facts.Format != "jpeg" {
				t.Fatalf("readable %s", facts.Format)
			}
			if facts.Width <= 0 || facts.Height <= 0 || facts.Sharpness == nil {
				t.Fatalf("readable without size or sharpness: %+v", facts)
			}
			if s := *facts.Sharpness; math.IsNaN(s) || math.IsInf(s, 0) || s < 0 {
				t.Fatalf("sharpness %v", s)
			}
		} else if facts.Sharpness != nil || facts.Background != "" {
			t.Fatalf("unreadable with measures: %+v", facts)
		}
	})
}

// bench12MP is a 4000×3000 JPEG (quality 90) with smooth shading, fine texture and sensor-like
// noise, so it compresses like a phone photo (a few MB), built once per test binary.
var bench12MP = sync.OnceValue(func() []byte {
	const w, h = 4000, 3000
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(12, 34))
	for y := range h {
		for x := range w {
			fx, fy := float64(x), float64(y)
			v := 120 + 70*math.Sin(fx/500)*math.Cos(fy/350) + 18*math.Sin((fx+2*fy)/9) + float64(rng.IntN(15)-7)
			img.Y[y*img.YStride+x] = u8(v)
		}
	}
	for y := range h / 2 {
		for x := range w / 2 {
			i := y*img.CStride + x
			img.Cb[i] = u8(128 + 35*math.Sin(float64(x)/170) + float64(rng.IntN(5)-2))
			img.Cr[i] = u8(128 + 30*math.Cos(float64(y)/120) + float64(rng.IntN(5)-2))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

func BenchmarkAnalyze12MP(b *testing.B) {
	data := bench12MP()
	a := NewAnalyzer(Limits{})
	for _, bc := range []struct {
		name string
		opt  Options
	}{
		{"document", Options{}},
		{"photo_2inch", Options{Background: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, err := a.Analyze(context.Background(), bytes.NewReader(data), bc.opt)
				if err != nil || !f.Readable || f.Width != 4000 {
					b.Fatalf("%+v, %v", f, err)
				}
			}
		})
	}
}
