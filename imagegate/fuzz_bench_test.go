package imagegate

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

// fuzzLimits are small so that each input is cheap; the limits themselves are checked.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxDecodedBytes: 8 << 20, MaxProgressiveScans: 8, Budget: time.Second}

func fuzzSeeds(f *testing.F) {
	f.Add(imagegatetest.EncodeJPEG(f, photo(40, 30), 80))
	f.Add(imagegatetest.EncodePNG(f, photo(40, 30)))
	f.Add(imagegatetest.EncodePNG(f, image.NewGray16(image.Rect(0, 0, 20, 10))))
	var g bytes.Buffer
	_ = gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.White, color.Black}), nil)
	f.Add(g.Bytes())
	f.Add(imagegatetest.ProgressiveBomb(64, 48, 4, true))
	f.Add(imagegatetest.ProgressiveBomb(64, 48, 12, false))
	f.Add(imagegatetest.ProgressiveHeader(100, 100, 200))
	f.Add(imagegatetest.PNG16(30, 20))
	f.Add([]byte{0xFF, 0xD8, 0xFF})
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{})
}

// checkAccepted fails when an accepted image breaks a limit.
func checkAccepted(t *testing.T, data []byte, info Info) {
	l := fuzzLimits
	if int64(len(data)) > l.MaxBytes {
		t.Fatalf("accepted %d bytes", len(data))
	}
	if info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > l.MaxPixels {
		t.Fatalf("accepted %d×%d", info.Width, info.Height)
	}
	if info.DecodedBytes > l.MaxDecodedBytes {
		t.Fatalf("accepted %d decoded bytes", info.DecodedBytes)
	}
	if info.Format == "jpeg" {
		w := walkJPEG(data)
		if w.scans != info.Scans || (w.progressive && w.scans > l.MaxProgressiveScans) || (!w.progressive && w.scans > max(w.nComp, 1)) {
			t.Fatalf("accepted %+v", w)
		}
	}
}

func typed(err error) bool {
	for _, e := range []error{ErrTooLarge, ErrTooManyPixels, ErrUnsupported, ErrUnreadable, ErrBudget} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// FuzzCheck: no input panics, every refusal is typed, and an accepted image respects every limit.
func FuzzCheck(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := fuzzLimits.Check(data)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkAccepted(t, data, info)
	})
}

// FuzzDecode: as FuzzCheck, and a decoded image has the size its header declared.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		img, info, err := fuzzLimits.Decode(context.Background(), data)
		if err != nil {
			if !typed(err) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkAccepted(t, data, info)
		if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
			t.Fatalf("decoded %v, info %+v", b, info)
		}
	})
}

// BenchmarkBombs: what each bomb of issue 13 costs the gate to refuse (Check only).
func BenchmarkBombs(b *testing.B) {
	for _, bc := range []struct {
		name string
		data []byte
	}{
		{"junk+2000scans", imagegatetest.ProgressiveBomb(4000, 3000, 2000, true)},
		{"300scans", imagegatetest.PadJPEG(imagegatetest.ProgressiveBomb(4000, 3000, 300, false), 90_000)},
		{"progressive-40MP-colour", imagegatetest.PadJPEG(imagegatetest.ProgressiveBombN(7300, 5470, 3, 10, false), 100_000)},
		{"png16-6000x6000", imagegatetest.PNG16(6000, 6000)},
		{"progressive-40MP-header", imagegatetest.ProgressiveHeader(7300, 5470, 700_000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				if _, err := (Limits{}).Check(bc.data); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
