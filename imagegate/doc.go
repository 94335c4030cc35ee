// Package imagegate is the one gate an untrusted image passes before roadcheck decodes it:
// certificate photos (verify) and uploaded materials (service/imagefacts) both go through it.
//
// Check reads only headers and marker structure, never pixels:
//
//   - the format is sniffed from magic bytes (PNG, JPEG and GIF are decodable; WebP, BMP,
//     TIFF and PDF are named but refused with ErrUnsupported; anything else is "unknown");
//   - the byte count (MaxBytes) and the declared width × height (MaxPixels), from
//     DecodeConfig, before any decoder allocates;
//   - the memory the standard decoder will allocate, computed from the header's colour model
//     (a 16-bit PNG decodes to 8 bytes a pixel, a progressive JPEG buffers 256 bytes of
//     coefficients per 8×8 block and component on top of its planes), against
//     MaxDecodedBytes;
//   - for JPEG, the number of scans, counted by walking the markers the way image/jpeg walks
//     them (extraneous bytes and fill bytes between markers skipped exactly as its decoder
//     skips them, entropy-coded data skipped to the next marker): a baseline JPEG has at most
//     one scan per component, a progressive one at most MaxProgressiveScans. Every progressive
//     scan walks every block of its components, so a small file of thousands of scans (an
//     end-of-band run covers 32,767 blocks in a few bits) costs minutes of CPU;
//   - a file too short to hold the pixels it declares is unreadable without decoding.
//
// Decode runs Check, then decodes in a goroutine and stops waiting when Budget or the
// caller's context ends. Go's decoders cannot be interrupted: an abandoned decode runs to its
// end in the background. What bounds that work is the gate itself (pixels, memory and scans
// checked before the decoder starts), not the budget; the budget bounds how long a request
// waits.
package imagegate
