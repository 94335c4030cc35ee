// Package imagefacts computes the facts roadcheck's policies judge an uploaded material by,
// from the file's bytes only (never from the name or content type the uploader claims).
//
// # Facts
//
// Format is sniffed from the leading magic bytes: "png", "jpeg", "gif", "webp", "bmp", "tiff",
// "pdf" or "unknown" (empty input is "unknown"). Readable says whether the bytes decode as an
// image, whatever roadcheck accepts (which formats it accepts is the rulebook's business, by
// Format): true when a PNG or JPEG decodes completely, or a GIF's first frame decodes (Go's
// image/gif; a GIF is refused by format, not as unreadable). WebP, BMP and TIFF are not
// decoded (the standard library has no decoder for them) and, like a PDF, any other content
// and a truncated or corrupt PNG/JPEG/GIF, are Readable false: a fact, not an error. Width and
// Height come from the image header when the standard library can read it (PNG, JPEG, GIF),
// so a truncated JPEG still reports them; they are 0 when unknown. SHA256 is the lower-case
// hex digest of the bytes, SizeBytes their count.
//
// Sharpness and Background are measured on readable PNG and JPEG images only, the formats the
// measures are defined (and their thresholds set) for; a GIF has neither.
//
// # Sharpness
//
// Sharpness is the variance of the Laplacian of the grayscale image at a normalised size, in
// grey levels squared. It is computed from a readable PNG or JPEG image as follows:
//
//  1. Grayscale: luma Y = 0.299 R + 0.587 G + 0.114 B on a 0–255 scale, as a float (a JPEG's
//     own Y channel is exactly this). Transparent pixels are composited over white first.
//  2. Downscale: when the long side L exceeds 1024 px, the image is resampled by area
//     averaging (box filter: each output pixel is the mean of the source area it covers,
//     partly covered source pixels weighted by the covered fraction) to
//     round(W·1024/L) × round(H·1024/L), so the long side is exactly 1024. Smaller images are
//     used as they are (never upscaled). This makes the measure comparable across camera
//     resolutions, and fast.
//  3. Laplacian: L(x,y) = p(x−1,y) + p(x+1,y) + p(x,y−1) + p(x,y+1) − 4·p(x,y) at every
//     interior pixel (the one-pixel border is skipped, no padding).
//  4. Sharpness = population variance of L over the interior pixels (mean of L² minus the
//     squared mean). An image smaller than 3×3 scores 0.
//
// Higher is sharper. Flat areas contribute 0, so a page with little text scores lower than a
// dense one at equal focus; a threshold should be set against real scans. For orientation,
// the package tests measure a synthetic 1600×1000 page of dense black text-like strokes at
// about 10,800 and the same page after a Gaussian blur of σ = 3.5 px at about 20 (PNG and
// JPEG alike); a noisy 1600×1200 landscape snapshot scores about 170. The policy threshold is
// 100 at the time of writing.
//
// # Background (ID photos only, Options.Background)
//
// Background classifies the plain background an ID photo must have, as "white", "blue", "red"
// or "other". It is computed on the same downscaled image as sharpness (long side ≤ 1024), in
// RGB (transparent pixels over white):
//
//   - Sampled region: the left and right strips, each the outer 8 % of the width, from the top
//     down to 70 % of the height; plus the top-left and top-right corners, each the outer 25 %
//     of the width over the top 10 % of the height. The middle of the top edge is not sampled
//     (the head may touch it), nor the bottom 30 % of the sides (shoulders and clothes reach
//     the edges there). Strip sizes are rounded to whole pixels, at least one.
//   - Reference colour: the per-channel median (R, G, B separately) of the sampled pixels,
//     which ignores JPEG ringing and a few stray hairs.
//   - Uniformity: at least 80 % of the sampled pixels must lie within a Euclidean RGB distance
//     of 40 (on 0–255) from the reference colour; otherwise the background is "other"
//     (gradients, a room, a patterned wall).
//   - Colour, from the reference colour in HSV (H in degrees, S and V in 0–1):
//     "white" when V ≥ 0.80 and S ≤ 0.15; "blue" when 190 ≤ H ≤ 250, S ≥ 0.30 and V ≥ 0.30;
//     "red" when (H ≤ 15 or H ≥ 340), S ≥ 0.40 and V ≥ 0.30; "other" otherwise (grey, green,
//     beige...).
//
// Background is "" when not requested, when the image is unreadable, or for a GIF.
//
// # Limits
//
// Analyzer bounds the work one upload can cause: bytes read (Limits.MaxBytes) and the number
// of analyses running at once (Limits.MaxConcurrent); everything else is the shared image gate
// (package imagegate), applied before any full decode: pixels declared by the header
// (Limits.MaxPixels; PNG, JPEG and GIF, the only formats decoded), the memory the decode allocates, computed from the header's colour model
// (Limits.MaxDecodedBytes; both are ErrTooManyPixels), the scans of a JPEG counted as
// image/jpeg walks its markers (a baseline JPEG at most one per component, a progressive one
// at most imagegate.DefaultMaxProgressiveScans; more is unreadable), and the time an analysis
// waits for the decoder (Limits.Budget; longer is unreadable). A PNG or JPEG too short to
// hold the pixels its header declares is reported unreadable without being decoded, because
// the decoders allocate the whole image before reading the pixel data. Decoders run under
// recover, so no input makes Analyze panic.
//
// Memory: a full decode of a W×H image allocates about 1.5–3 bytes per pixel for a baseline
// JPEG, 1–8 for PNG, 7.5–15 for a progressive JPEG (whose coefficients are buffered) and
// about 24 for a progressive four-component one; the gate refuses any whose total exceeds
// MaxDecodedBytes (256 MiB by default, times MaxConcurrent analyses). A decode that outlives
// its budget keeps running in the background until it ends (Go's decoders cannot be
// stopped); the caps above are what bound it.
package imagefacts
