package imagegatetest

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
)

// EncodePNG encodes img as PNG; an encoding error fails the test.
func EncodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// EncodeJPEG encodes img as baseline JPEG at quality (1–100); an encoding error fails the test.
func EncodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
