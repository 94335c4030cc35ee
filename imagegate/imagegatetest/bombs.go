// Package imagegatetest builds, in memory, the encoded images the image tests decode (of
// imagegate, service/imagefacts and verify): ordinary PNG and JPEG of a given image
// (EncodePNG, EncodeJPEG), and the decompression and scan bombs the image gate is tested
// against, so that no hostile binary is committed. Tests only.
package imagegatetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

func segment(marker byte, p ...byte) []byte {
	n := len(p) + 2
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, p...)
}

// bitWriter writes entropy-coded data, MSB first, stuffing a 0x00 after every 0xFF.
type bitWriter struct {
	out  []byte
	acc  uint32
	nacc uint
}

func (bw *bitWriter) write(v uint32, n uint) {
	for k := int(n) - 1; k >= 0; k-- {
		bw.acc = bw.acc<<1 | (v>>uint(k))&1
		bw.nacc++
		if bw.nacc == 8 {
			bw.out = append(bw.out, byte(bw.acc))
			if byte(bw.acc) == 0xFF {
				bw.out = append(bw.out, 0x00)
			}
			bw.acc, bw.nacc = 0, 0
		}
	}
}

func (bw *bitWriter) flush() []byte {
	for bw.nacc != 0 {
		bw.write(1, 1) // pad with 1-bits
	}
	return bw.out
}

// ProgressiveBomb is a valid greyscale progressive JPEG of w×h pixels (at most 65535 each)
// whose image data is scans AC refinement scans (Ss=1, Se=63, Ah=1, Al=0) of all-zero
// coefficients. Each scan is one end-of-band run code per 32,767 blocks, a few bytes, but
// image/jpeg walks all 63 coefficients of every block in each. With junk, one extraneous
// byte (which image/jpeg skips) sits between the Huffman tables and the first scan.
func ProgressiveBomb(w, h, scans int, junk bool) []byte {
	return ProgressiveBombN(w, h, 1, scans, junk)
}

// ProgressiveBombN is ProgressiveBomb with comps components (1, 3 or 4) at full resolution
// (4:4:4), whose scans take the components in turn. A three-component one is what a
// progressive colour photo costs to decode: about 15 bytes a pixel.
func ProgressiveBombN(w, h, comps, scans int, junk bool) []byte {
	b := []byte{0xFF, 0xD8}
	q := make([]byte, 65)
	for k := 1; k < 65; k++ {
		q[k] = 1
	}
	b = append(b, segment(0xDB, q...)...)
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(comps)}
	for c := range comps {
		sof = append(sof, byte(c+1), 0x11, 0)
	}
	b = append(b, segment(0xC2, sof...)...)
	// DC table 0: one 1-bit code for category 0. AC table 0: one 1-bit code for EOB14 (0xE0:
	// an end-of-band run of 2^14 plus 14 more bits).
	counts := func(sym byte) []byte { return append([]byte{1}, append(make([]byte, 15), sym)...) }
	b = append(b, segment(0xC4, append([]byte{0x00}, counts(0x00)...)...)...)
	b = append(b, segment(0xC4, append([]byte{0x10}, counts(0xE0)...)...)...)
	if junk {
		b = append(b, 0x00)
	}
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	var bw bitWriter
	for left := blocks; left > 0; left -= 32767 {
		bw.write(0, 1)       // EOB14
		bw.write(0x3FFF, 14) // run 2^14 + 16383 = 32767 blocks
	}
	data := bw.flush()
	for k := range scans {
		b = append(b, segment(0xDA, 1, byte(k%comps+1), 0x00, 1, 63, 0x10)...)
		b = append(b, data...)
	}
	return append(b, 0xFF, 0xD9)
}

// ProgressiveHeader is a three-component 4:4:4 progressive JPEG header of w×h pixels with one
// DC scan whose data is pad zero bytes (not valid image data, but enough bytes that the file
// is not obviously too short for its pixels): image/jpeg allocates the planes and 256 bytes of
// coefficients per block and component, about 15 bytes a pixel, before reading any of it.
func ProgressiveHeader(w, h, pad int) []byte {
	b := []byte{0xFF, 0xD8}
	b = append(b, segment(0xC2, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0)...)
	b = append(b, segment(0xDA, 3, 1, 0, 2, 0, 3, 0, 0, 0, 0)...)
	b = append(b, make([]byte, pad)...)
	return append(b, 0xFF, 0xD9)
}

// PNGChunk appends one PNG chunk (length, type, data, CRC) to dst.
func PNGChunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, typ...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// PNG16 is a valid, all-black 16-bit RGBA PNG of w×h pixels: it deflates to almost nothing
// (a 6000×6000 one is about 300 KB) and decodes to an image.NRGBA64 of 8 bytes a pixel.
func PNG16(w, h int) []byte {
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16-bit RGBA, deflate, adaptive filters, no interlace
	out = PNGChunk(out, "IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+8*w) // filter byte 0, then zeros
	for range h {
		zw.Write(row)
	}
	zw.Close()
	out = PNGChunk(out, "IDAT", z.Bytes())
	return PNGChunk(out, "IEND", nil)
}

// PadJPEG inserts COM segments of n bytes in all after the SOI of a JPEG, so that a small bomb
// is not refused merely for being too short for its pixels.
func PadJPEG(data []byte, n int) []byte {
	out := append([]byte{}, data[:2]...)
	for n > 0 {
		k := min(n, 65533)
		out = append(out, segment(0xFE, make([]byte, k)...)...)
		n -= k
	}
	return append(out, data[2:]...)
}
