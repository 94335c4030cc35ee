package imagefacts

import (
	"bytes"
	"encoding/binary"
)

// sniff names the format of b from its magic bytes. http.DetectContentType is not used: it
// does not know TIFF, wants a VP8 chunk right after the WebP header, and
// answers with MIME types rather than the fact values the policies compare against.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}): // SOI followed by the next marker
		return "jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	case isBMP(b):
		return "bmp"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")), // TIFF
		bytes.HasPrefix(b, []byte("II+\x00")), bytes.HasPrefix(b, []byte("MM\x00+")): // BigTIFF
		return "tiff"
	case isPDF(b):
		return "pdf"
	}
	return "unknown"
}

// isBMP wants more than "BM" (which starts ordinary text too): the DIB header size that
// follows the 14-byte file header must be one of the known header versions.
func isBMP(b []byte) bool {
	if len(b) < 18 || b[0] != 'B' || b[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(b[14:18]) {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// isPDF accepts "%PDF-" anywhere in the first 1024 bytes, as PDF readers do (some producers
// put a preamble before the header).
func isPDF(b []byte) bool {
	return bytes.Contains(b[:min(len(b), 1024)], []byte("%PDF-"))
}
