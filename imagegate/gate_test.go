package imagegate

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8(x ^ y), 255})
		}
	}
	return img
}

// The bombs of issue 13, each refused by Check, with its kind.
func TestBombs(t *testing.T) {
	l := Limits{}
	for _, tt := range []struct {
		name string
		data []byte
		want error
	}{
		// (a) one junk byte before 2,000 refinement scans: image/jpeg skips the byte and
		// decodes every scan; the old counter stopped at the byte and counted none.
		{"junk byte before 2000 progressive scans", imagegatetest.ProgressiveBomb(4000, 3000, 2000, true), ErrUnreadable},
		{"2000 progressive scans", imagegatetest.ProgressiveBomb(4000, 3000, 2000, false), ErrUnreadable},
		// (b) 300 scans, the imagefacts bomb.
		{"300 progressive scans", imagegatetest.PadJPEG(imagegatetest.ProgressiveBomb(4000, 3000, 300, false), 90_000), ErrUnreadable},
		// (d) 16-bit 6000×6000 PNG: 36 MP under the pixel cap, 288 MB decoded.
		{"16-bit 6000×6000 PNG", imagegatetest.PNG16(6000, 6000), ErrTooManyPixels},
		// (d) a 40 MP progressive header: ≈ 15 bytes a pixel before any data is read.
		{"40 MP progressive header", imagegatetest.ProgressiveHeader(7300, 5470, 700_000), ErrTooManyPixels},
		{"40 MP progressive colour JPEG", imagegatetest.PadJPEG(imagegatetest.ProgressiveBombN(7300, 5470, 3, 10, false), 100_000), ErrTooManyPixels},
		{"40 MP progressive header alone", imagegatetest.ProgressiveHeader(7300, 5470, 0), ErrUnreadable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			info, err := l.Check(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Check = %+v, %v; want %v", info, err, tt.want)
			}
			if _, _, err := l.Decode(context.Background(), tt.data); !errors.Is(err, tt.want) {
				t.Fatalf("Decode: %v; want %v", err, tt.want)
			}
		})
	}
}

// The bombs are real images: under the scan cap image/jpeg decodes them, so the scans that
// the gate counts are scans the decoder runs.
func TestBombsDecodeUnderTheCap(t *testing.T) {
	for _, junk := range []bool{false, true} {
		data := imagegatetest.ProgressiveBomb(64, 48, DefaultMaxProgressiveScans, junk)
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("junk %v: image/jpeg: %v", junk, err)
		}
		if img.Bounds().Dx() != 64 {
			t.Fatalf("bounds %v", img.Bounds())
		}
		if w := walkJPEG(data); w.scans != DefaultMaxProgressiveScans || !w.progressive {
			t.Errorf("junk %v: walk %+v", junk, w)
		}
		over := imagegatetest.ProgressiveBomb(64, 48, DefaultMaxProgressiveScans+1, junk)
		if _, err := jpeg.Decode(bytes.NewReader(over)); err != nil {
			t.Fatalf("over the cap, image/jpeg: %v", err)
		}
		if _, err := (Limits{}).Check(over); !errors.Is(err, ErrUnreadable) {
			t.Errorf("junk %v, one scan over: %v", junk, err)
		}
	}
	rgb := imagegatetest.ProgressiveBombN(64, 48, 3, 9, true)
	if _, err := jpeg.Decode(bytes.NewReader(rgb)); err != nil {
		t.Fatalf("3 components: %v", err)
	}
	if info, err := (Limits{}).Check(rgb); err != nil || info.Scans != 9 || info.DecodedBytes < 64*48*15 {
		t.Errorf("3 components: %+v, %v", info, err)
	}
	png16 := imagegatetest.PNG16(40, 30)
	if img, err := png.Decode(bytes.NewReader(png16)); err != nil || img.ColorModel() != color.NRGBA64Model {
		t.Fatalf("PNG16: %T %v", img, err)
	}
}

// TestWalkMatchesDecoder: the walk skips between markers what image/jpeg skips, so every way
// of hiding a scan from a naive counter is still counted.
func TestWalkMatchesDecoder(t *testing.T) {
	base := imagegatetest.ProgressiveBomb(64, 48, 3, false)
	sos := bytes.Index(base, []byte{0xFF, 0xDA})
	insert := func(junk ...byte) []byte {
		return slices.Concat(base[:sos], junk, base[sos:])
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"plain", base},
		{"one junk byte", insert(0x00)},
		{"many junk bytes", insert(bytes.Repeat([]byte{0x12}, 1000)...)},
		{"stuffed pairs", insert(0xFF, 0x00, 0xFF, 0x00, 0x01)},
		{"fill bytes", insert(0xFF, 0xFF, 0xFF)},
		{"RST markers between segments", insert(0xFF, 0xD0, 0xFF, 0xD7)},
		{"junk then fill", insert(0x00, 0x00, 0xFF, 0xFF)},
		{"COM segment", insert(0xFF, 0xFE, 0x00, 0x04, 0xFF, 0xDA)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := jpeg.Decode(bytes.NewReader(tt.data)); err != nil {
				t.Fatalf("image/jpeg refuses it: %v", err)
			}
			if n := walkJPEG(tt.data).scans; n != 3 {
				t.Errorf("%d scans, want 3", n)
			}
		})
	}
	// Junk between scans too.
	hdr := []byte{0xFF, 0xDA, 0x00, 0x08}
	junky := bytes.ReplaceAll(base, hdr, append([]byte{0x55, 0x00, 0xFF, 0x00}, hdr...))
	if _, err := jpeg.Decode(bytes.NewReader(junky)); err != nil {
		t.Fatal(err)
	}
	if n := walkJPEG(junky).scans; n != 3 {
		t.Errorf("junk between scans: %d", n)
	}
	// A baseline image from image/jpeg: one scan; its scan header repeated is refused.
	photoJPEG := imagegatetest.EncodeJPEG(t, photo(64, 48), 80)
	if w := walkJPEG(photoJPEG); w.scans != 1 || w.progressive || w.nComp != 3 {
		t.Errorf("baseline: %+v", w)
	}
	s := bytes.Index(photoJPEG, []byte{0xFF, 0xDA})
	sh := photoJPEG[s : s+2+int(photoJPEG[s+2])<<8+int(photoJPEG[s+3])]
	bomb := slices.Clone(photoJPEG[:len(photoJPEG)-2])
	for range 4 {
		bomb = append(bomb, 0x00)
		bomb = append(bomb, sh...)
		bomb = append(bomb, 0x00)
	}
	bomb = append(bomb, 0xFF, 0xD9)
	if _, err := (Limits{}).Check(bomb); !errors.Is(err, ErrUnreadable) {
		t.Errorf("baseline with 5 scans: %v", err)
	}
}

func TestAccepts(t *testing.T) {
	var g bytes.Buffer
	if err := gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 30, 20), color.Palette{color.White, color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	gray16 := image.NewGray16(image.Rect(0, 0, 50, 40))
	for _, tt := range []struct {
		name   string
		data   []byte
		format string
		bytes  int64
	}{
		{"jpeg", imagegatetest.EncodeJPEG(t, photo(320, 240), 80), "jpeg", 320 * 240 * 3 / 2},
		{"png", imagegatetest.EncodePNG(t, photo(320, 240)), "png", 320 * 240 * 4},
		{"png gray16", imagegatetest.EncodePNG(t, gray16), "png", 50 * 40 * 2},
		{"gif", g.Bytes(), "gif", 30 * 20},
		{"progressive", imagegatetest.ProgressiveBomb(64, 48, 5, false), "jpeg", 64 * 48 * (1 + 4)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			img, info, err := Limits{}.Decode(context.Background(), tt.data)
			if err != nil || info.Format != tt.format {
				t.Fatalf("%+v, %v", info, err)
			}
			if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
				t.Errorf("bounds %v, info %+v", b, info)
			}
			if info.DecodedBytes < tt.bytes || info.DecodedBytes > 2*tt.bytes+1<<16 {
				t.Errorf("decoded bytes %d, want about %d", info.DecodedBytes, tt.bytes)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	jpg := imagegatetest.EncodeJPEG(t, photo(200, 100), 80)
	for _, tt := range []struct {
		name string
		l    Limits
		data []byte
		want error
	}{
		{"bytes", Limits{MaxBytes: 100}, jpg, ErrTooLarge},
		{"pixels", Limits{MaxPixels: 200*100 - 1}, jpg, ErrTooManyPixels},
		{"memory", Limits{MaxDecodedBytes: 1000}, jpg, ErrTooManyPixels},
		{"webp", Limits{}, []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), ErrUnsupported},
		{"text", Limits{}, []byte("hello"), ErrUnsupported},
		{"empty", Limits{}, nil, ErrUnsupported},
		{"truncated", Limits{}, jpg[:len(jpg)/2], ErrUnreadable},
		{"magic only", Limits{}, []byte{0xFF, 0xD8, 0xFF}, ErrUnreadable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := tt.l.Decode(context.Background(), tt.data); !errors.Is(err, tt.want) {
				t.Errorf("Decode: %v, want %v", err, tt.want)
			}
		})
	}
	if info, _ := (Limits{}).Check(jpg[:len(jpg)/2]); info.Width != 200 || info.Height != 100 {
		t.Errorf("truncated: header size lost: %+v", info)
	}
}

func TestBudgetAndContext(t *testing.T) {
	data := imagegatetest.EncodeJPEG(t, photo(64, 64), 80)
	if _, _, err := (Limits{Budget: time.Nanosecond}).Decode(context.Background(), data); !errors.Is(err, ErrBudget) {
		// The decode of a small image may win the race against a 1 ns timer; only a wrong
		// error kind fails.
		if err != nil {
			t.Errorf("tiny budget: %v", err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := (Limits{}).Decode(ctx, data); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestSniff(t *testing.T) {
	for in, want := range map[string]string{
		"\x89PNG\r\n\x1a\nxx": "png", "\xff\xd8\xff": "jpeg", "GIF89a": "gif", "GIF87a": "gif",
		"RIFF\x00\x00\x00\x00WEBP": "webp", "II*\x00": "tiff", "MM\x00*": "tiff", "%PDF-1.4": "pdf",
		"": "unknown", "BM": "unknown", "\xff\xd8": "unknown",
	} {
		if got := Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%q) = %s, want %s", in, got, want)
		}
	}
}
