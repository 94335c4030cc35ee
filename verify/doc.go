// Package verify reads certificate QR codes from photos and checks them against the trust list
// (docs/design.md, "Verify pipeline").
//
//	d := verify.NewDecoder(verify.Limits{})                 // one per process: it holds the semaphore
//	res, err := d.Verify(ctx, body, trustList, now, revoked) // err: input errors only
//
// # Limits
//
// A Decoder bounds every photo before working on it, through the shared image gate
// (package imagegate): bytes (ErrTooLarge), pixels declared in the header and the memory
// their decode allocates, checked before any pixel is decoded (ErrTooManyPixels), scans of a
// JPEG counted the way image/jpeg walks its markers (a progressive "scan bomb" is
// ErrUnreadable), concurrent decodes (a semaphore that honours the caller's context) and a
// per-photo time budget, counted from the moment a slot is taken; it covers the image decode
// (which runs in a goroutine the Decoder stops waiting for) and is checked between attempts
// and between rows of the finder search. Only JPEG, PNG and PDF are accepted, by content
// (ErrUnsupportedFormat); a file that does not decode, truncated ones included (Go's decoders
// return no partial image), is ErrUnreadable. Nothing panics: the image decoders and gozxing
// run under recover.
//
// # PDFs
//
// A certificate PDF (certs/render's Renderer.PDF) is parsed, not rasterised (pdf.go): the
// payload comes from its Info dictionary (/Subject, else /Keywords), and the QR code from the
// page's content stream, whose dark filled rectangles are put back on their module grid and
// read by the same pipeline as a photo. Both present and different is ErrPDFMismatch (Verify:
// malformed); either alone is enough, the signature decides. The parser needs no valid xref
// table and is bounded (objects, nesting, inflated bytes, operators, rectangles, the time
// budget); FuzzReadPDF.
//
// # Pipeline
//
// Luminance once; long sides of about 1024 and 1600 pixels (area-average downscale, skipped
// when not smaller than the photo) and full resolution; at each, gozxing's QR detector and
// decoder (TRY_HARDER) on three binarizations: hybrid, global histogram, and a local
// mid-range threshold (binarizer.go); then all of it on the inverted image, then on the
// mirrored image. It stops at the first text that starts with "RC1:". Small scales come first:
// a phone photo of the page usually holds the code at 3+ pixels per module at 1024, which is
// several times cheaper than full resolution.
//
// Two additions to gozxing, both measured on the degraded photo set (91 % decoded with the
// stock reader and the two stock binarizers, 98 % with both):
//   - the mid-range binarizer keeps finder patterns next to the quiet zone intact on blurred,
//     low-contrast photos, where the hybrid binarizer's local mean thickens dark modules;
//   - grid fitting (fit.go): when the finder patterns are found but the code does not decode,
//     the grid's fourth corner is searched for and all four refined against the code's fixed
//     patterns, instead of gozxing's parallelogram guess, which fails under perspective.
//
// A third addition: gozxing stops its finder search at the first three patterns of one size,
// which may include a look-alike (in the code's data, or in text at the same scale). When that
// triple does not decode, the search goes on over every row and the next best triples are
// tried (finder.go, TestDecodeFinderLookalikes).
//
// The finder search is gozxing's, re-driven through its exported methods (finder.go) so that
// it can stop at 64 candidates: gozxing ranks candidates in O(n³), and a 7 KB PNG tiled with
// finder-like squares otherwise costs seconds per attempt.
//
// A QR code that is not a roadcheck payload is remembered and returned when no RC1 code turns
// up, so Verify answers malformed or unsupported_version ("RC2:…") instead of no_qr_found.
//
// # Measurements
//
// TestDecodeDegradedPhotos (30 photos, asserts ≥ 90 %), BenchmarkDecodePhotos (100 photos,
// decoded-% and median ms per photo) and TestCompareZBar (ROADCHECK_ZBAR=1, the same 100 photos
// through zbarimg) use a seeded set of synthetic phone photos of a rendered certificate:
// desk background, perspective, rotation, uneven light, low contrast, blur, noise and JPEG
// compression at 2 to 12 megapixels (photos_test.go). ROADCHECK_PHOTO_DIR=dir writes the 30
// test photos there for inspection.
package verify
