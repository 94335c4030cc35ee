package imagegate

import "bytes"

// jpegWalk is what walkJPEG learnt from the marker structure.
type jpegWalk struct {
	scans       int
	sof         bool // a SOF0, SOF1 or SOF2 header was read
	progressive bool
	nComp       int
	h, v        [4]int
	ids         [4]byte
	jfif        bool // APP0 "JFIF\0", as image/jpeg reads it
	adobe       bool // APP14 "Adobe" with its transform byte
	transform   byte
}

// Marker codes (ITU T.81 table B.1).
const (
	mSOF0  = 0xC0
	mSOF1  = 0xC1
	mSOF2  = 0xC2
	mDHT   = 0xC4
	mRST0  = 0xD0
	mRST7  = 0xD7
	mSOI   = 0xD8
	mEOI   = 0xD9
	mSOS   = 0xDA
	mDQT   = 0xDB
	mDRI   = 0xDD
	mAPP0  = 0xE0
	mAPP14 = 0xEE
	mAPP15 = 0xEF
	mCOM   = 0xFE
)

// walkJPEG counts the scans image/jpeg would decode, walking the markers exactly as the
// decoder's loop in image/jpeg/reader.go (Go 1.26) does:
//
//   - two bytes are read; while the first is not 0xFF the pair slides by one byte
//     (extraneous data, which libjpeg and Go silently skip);
//   - "\xFF\x00" is extraneous data too; 0xFF bytes before a marker code are fill bytes;
//   - EOI ends the image, RST0–7 outside a scan are ignored;
//   - SOF0/1/2, DHT, DQT, DRI, APP0–15 and COM are length-prefixed segments skipped whole (so
//     the markers of an EXIF thumbnail are not counted); any other marker is an error there;
//   - after an SOS header the entropy-coded data is skipped up to the next 0xFF that is not
//     followed by 0x00 or an RST code. The decoder itself stops consuming at or before that
//     point (its byte-stuffed reader never reads past a marker, and its resynchronisation only
//     passes RST markers), and from wherever it stops, its loop above skips the rest of the
//     data by the same rule: both reach the same next marker.
//
// Where the decoder would return an error the walk stops: the decoder does no more scans.
// Headers the decoder would refuse are still counted (an overcount only refuses files that
// would not decode).
func walkJPEG(b []byte) (w jpegWalk) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != mSOI {
		return w
	}
	i := 2
	for {
		if i+2 > len(b) {
			return w
		}
		t0, t1 := b[i], b[i+1]
		i += 2
		for t0 != 0xFF {
			if i >= len(b) {
				return w
			}
			t0, t1 = t1, b[i]
			i++
		}
		marker := t1
		if marker == 0 {
			continue
		}
		for marker == 0xFF {
			if i >= len(b) {
				return w
			}
			marker = b[i]
			i++
		}
		if marker == mEOI {
			return w
		}
		if mRST0 <= marker && marker <= mRST7 {
			continue
		}
		if i+2 > len(b) {
			return w
		}
		n := int(b[i])<<8 | int(b[i+1]) - 2
		i += 2
		if n < 0 || i+n > len(b) {
			return w
		}
		seg := b[i : i+n]
		i += n
		switch {
		case marker == mSOF0 || marker == mSOF1 || marker == mSOF2:
			if w.sof || !w.readSOF(seg) {
				return w // "multiple SOF markers", or a header the decoder refuses
			}
			w.progressive = marker == mSOF2
		case marker == mSOS:
			w.scans++
			i = skipEntropy(b, i)
		case marker == mAPP0:
			if n >= 5 {
				w.jfif = string(seg[:5]) == "JFIF\x00"
			}
		case marker == mAPP14:
			if n >= 12 && string(seg[:5]) == "Adobe" {
				w.adobe, w.transform = true, seg[11]
			}
		case marker == mDHT, marker == mDQT, marker == mDRI,
			mAPP0 <= marker && marker <= mAPP15, marker == mCOM:
		default:
			return w // unknown or unsupported marker: the decoder stops with an error
		}
	}
}

// skipEntropy returns the index of the 0xFF that starts the marker ending the entropy-coded
// data beginning at i (or len(b)).
func skipEntropy(b []byte, i int) int {
	for i < len(b) {
		k := bytes.IndexByte(b[i:], 0xFF)
		if k < 0 {
			return len(b)
		}
		i += k
		if i+1 < len(b) && (b[i+1] == 0x00 || (mRST0 <= b[i+1] && b[i+1] <= mRST7)) {
			i += 2
			continue
		}
		return i
	}
	return i
}

// readSOF reads a frame header the way image/jpeg's processSOF does (8-bit, 1, 3 or 4
// components, factors 1, 2 or 4; a single component is always 1×1).
func (w *jpegWalk) readSOF(seg []byte) bool {
	switch len(seg) {
	case 6 + 3*1, 6 + 3*3, 6 + 3*4:
	default:
		return false
	}
	w.nComp = (len(seg) - 6) / 3
	if seg[0] != 8 || int(seg[5]) != w.nComp {
		return false
	}
	for c := range w.nComp {
		w.ids[c] = seg[6+3*c]
		hv := seg[7+3*c]
		h, v := int(hv>>4), int(hv&0x0F)
		if h < 1 || h > 4 || v < 1 || v > 4 || h == 3 || v == 3 {
			return false
		}
		if w.nComp == 1 {
			h, v = 1, 1
		}
		w.h[c], w.v[c] = h, v
	}
	w.sof = true
	return true
}

// decodedBytes bounds what image/jpeg allocates for the frame: the component planes of whole
// MCUs (image.Gray or image.YCbCr, plus the K plane of a four-component image), a
// progressive image's coefficients (one 64-entry int32 block, 256 bytes, per 8×8 block of
// each component, kept across scans), and the 4-byte-a-pixel RGBA or CMYK image an RGB or
// four-component image is converted to at the end.
func (w jpegWalk) decodedBytes(width, height int) int64 {
	hmax, vmax := 1, 1
	for c := range w.nComp {
		hmax, vmax = max(hmax, w.h[c]), max(vmax, w.v[c])
	}
	mxx := int64((width + 8*hmax - 1) / (8 * hmax))
	myy := int64((height + 8*vmax - 1) / (8 * vmax))
	var n int64
	for c := range w.nComp {
		blocks := mxx * myy * int64(w.h[c]*w.v[c])
		n += 64 * blocks // one byte a sample
		if w.progressive {
			n += 256 * blocks
		}
	}
	if w.nComp == 4 || (w.nComp == 3 && w.isRGB()) {
		n += 4 * int64(width) * int64(height)
	}
	return n
}

// isRGB is image/jpeg's test for a three-component image stored as RGB.
func (w jpegWalk) isRGB() bool {
	if w.jfif {
		return false
	}
	if w.adobe && w.transform == 0 {
		return true
	}
	return w.ids[0] == 'R' && w.ids[1] == 'G' && w.ids[2] == 'B'
}
