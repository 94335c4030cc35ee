package verify

import (
	"bufio"
	"context"
	"image"
	"os"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	goqr "github.com/skip2/go-qrcode"
	"golang.org/x/image/draw"

	"github.com/roadcheck/roadcheck/imagegate/imagegatetest"
)

// Symbols with a finder look-alike in their data modules: gozxing's stock reader stops at the
// look-alike and fails; the pipeline searches on and decodes them, sharp or photographed small.
func TestDecodeFinderLookalikes(t *testing.T) {
	payloads := readLines(t, "testdata/finder-lookalikes.txt")
	if len(payloads) < 5 {
		t.Fatalf("only %d fixture payloads", len(payloads))
	}
	d := NewDecoder(Limits{})
	for _, p := range payloads {
		// Straight from go-qrcode: render.EncodeQR would move to a clean version.
		q, err := goqr.New(p, goqr.Medium)
		if err != nil {
			t.Fatal(err)
		}
		sharp := q.Image(-8) // 8 px per module, 4-module quiet zone
		if text, err := stockDecode(sharp); err == nil && text == p {
			t.Fatalf("gozxing's stock reader decodes the v%d fixture %.20s…: it no longer exercises the look-alike", q.VersionNumber, p)
		}
		small := image.NewGray(image.Rect(0, 0, sharp.Bounds().Dx()*3/8, sharp.Bounds().Dy()*3/8))
		draw.CatmullRom.Scale(small, small.Bounds(), sharp, sharp.Bounds(), draw.Src, nil)
		for name, data := range map[string][]byte{"png 8px": imagegatetest.EncodePNG(t, sharp), "jpeg 3px": imagegatetest.EncodeJPEG(t, small, 80)} {
			got, err := d.DecodeBytes(context.Background(), data)
			if err != nil || got != p {
				t.Errorf("v%d %.20s… (%s): got %.20q, %v", q.VersionNumber, p, name, got, err)
			}
		}
	}
}

func stockDecode(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// readLines returns a fixture file's lines, without blank lines and # comments.
func readLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// Not trimmed: a space is a payload character.
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
