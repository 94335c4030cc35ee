//go:build cgo

package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// Engine runs PP-OCRv4 detection, the angle classifier and recognition. It is safe for
// concurrent use; each Read allocates its own tensors.
type Engine struct {
	mu      sync.RWMutex // Read holds it shared, Close exclusively: no session is freed under a run
	closed  bool
	det     *session
	cls     *session
	rec     *session
	dict    []string
	long    int
	version string
}

type session struct {
	s             *ort.DynamicAdvancedSession
	input, output string
	outShape      ort.Shape // as declared by the model, -1 for dynamic dimensions
}

// The ONNX Runtime environment (OrtEnv plus the dlopen'ed library) is process-global in the C
// API and in onnxruntime_go: it can be initialised once and must outlive every session. Engines
// therefore share it through this reference count: the first Open initialises it, the last
// Close destroys it. This is the package's only mutable state, and it mirrors state that
// already lives, global, inside the library binding. An environment initialised by someone
// else in the process (external) is used and never destroyed.
var ortEnv struct {
	mu       sync.Mutex
	refs     int
	external bool
}

func acquireEnv(lib string) error {
	ortEnv.mu.Lock()
	defer ortEnv.mu.Unlock()
	if ortEnv.refs == 0 {
		if ort.IsInitialized() {
			ortEnv.external = true
		} else {
			ortEnv.external = false
			ort.SetSharedLibraryPath(lib)
			if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
				return err
			}
		}
	}
	// A second Engine with another Dir still runs on the library loaded first: one process
	// holds one ONNX Runtime.
	ortEnv.refs++
	return nil
}

func releaseEnv() error {
	ortEnv.mu.Lock()
	defer ortEnv.mu.Unlock()
	if ortEnv.refs == 0 {
		return nil
	}
	ortEnv.refs--
	if ortEnv.refs > 0 || ortEnv.external {
		return nil
	}
	return ort.DestroyEnvironment()
}

// Open loads the ONNX Runtime library and the three model sessions from opt.Dir. Missing or
// unloadable assets give an error wrapping ErrUnavailable.
func Open(opt Options) (*Engine, error) {
	if opt.Threads <= 0 {
		opt.Threads = 1
	}
	if opt.DetLongSide <= 0 {
		opt.DetLongSide = 960
	}
	dir, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	for _, f := range []string{LibraryFile, DetModel, RecModel, ClsModel, DictFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	dict, err := loadDict(filepath.Join(dir, DictFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if err := acquireEnv(filepath.Join(dir, LibraryFile)); err != nil {
		return nil, fmt.Errorf("%w: onnx runtime: %v", ErrUnavailable, err)
	}
	e := &Engine{dict: dict, long: opt.DetLongSide}
	fail := func(err error) (*Engine, error) {
		e.destroy()
		releaseEnv()
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return fail(err)
	}
	defer so.Destroy()
	if err := so.SetIntraOpNumThreads(opt.Threads); err != nil {
		return fail(err)
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return fail(err)
	}
	// Idle intra-op workers spin by default; on a shared machine that burns the cores other
	// requests need (measured at Threads 2 on 2 busy cores: 2.3 s per Read spinning, vs 0.8 s
	// with one thread).
	if err := so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
		return fail(err)
	}
	// Input shapes change with every image and line; a memory pattern is planned per shape
	// and only pays off for repeated identical shapes. The CPU arena stays on: turning it off
	// measured no faster and a higher peak RSS (318 vs 297 MB at det 960).
	if err := so.SetMemPattern(false); err != nil {
		return fail(err)
	}
	for _, m := range []struct {
		dst  **session
		file string
	}{{&e.det, DetModel}, {&e.cls, ClsModel}, {&e.rec, RecModel}} {
		s, err := newSession(filepath.Join(dir, m.file), so)
		if err != nil {
			return fail(fmt.Errorf("%s: %v", m.file, err))
		}
		*m.dst = s
	}
	// the recognition model's classes are the blank plus the dictionary (with its space)
	if sh := e.rec.outShape; len(sh) != 3 || sh[2] != int64(len(dict)+1) {
		return fail(fmt.Errorf("%s: output %v does not fit %s (%d characters with the space)", RecModel, sh, DictFile, len(dict)))
	}
	e.version = versionString(filepath.Join(dir, VersionFile), ort.GetVersion())
	return e, nil
}

func newSession(path string, so *ort.SessionOptions) (*session, error) {
	in, out, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, err
	}
	if len(in) != 1 || len(out) != 1 {
		return nil, fmt.Errorf("want one input and one output, have %d and %d", len(in), len(out))
	}
	s, err := ort.NewDynamicAdvancedSession(path, []string{in[0].Name}, []string{out[0].Name}, so)
	if err != nil {
		return nil, err
	}
	return &session{s: s, input: in[0].Name, output: out[0].Name, outShape: out[0].Dimensions}, nil
}

// Version names the models and the ONNX Runtime library in use.
func (e *Engine) Version() string { return e.version }

// Close releases the sessions and, with the last open Engine, the ONNX Runtime environment.
// It waits for running Reads; later Reads return ErrClosed. Close is idempotent.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	err := e.destroy()
	if rerr := releaseEnv(); err == nil {
		err = rerr
	}
	return err
}

func (e *Engine) destroy() error {
	var errs []error
	for _, s := range []**session{&e.det, &e.cls, &e.rec} {
		if *s != nil {
			errs = append(errs, (*s).s.Destroy())
			*s = nil
		}
	}
	return errors.Join(errs...)
}

// run feeds one float tensor to a session and hands the output to use before freeing it. A
// cancelled ctx terminates the run inside ONNX Runtime.
func (e *Engine) run(ctx context.Context, s *session, shape ort.Shape, data []float32, use func(out []float32, shape ort.Shape) error) error {
	in, err := ort.NewTensor(shape, data)
	if err != nil {
		return err
	}
	defer in.Destroy()
	ro, err := ort.NewRunOptions()
	if err != nil {
		return err
	}
	defer ro.Destroy()
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		ro.Terminate()
		close(done)
	})
	outs := []ort.Value{nil}
	err = s.s.RunWithOptions([]ort.Value{in}, outs, ro)
	if !stop() {
		<-done // Terminate may still be using ro
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	defer outs[0].Destroy()
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return fmt.Errorf("ocr: unexpected output type %T", outs[0])
	}
	return use(t.GetData(), t.GetShape())
}

// Read finds and recognises the text lines of img, sorted top-to-bottom, left-to-right.
// Errors: ctx.Err() when ctx ends (checked between stages, and a running model is
// terminated), ErrClosed after Close, otherwise an ONNX Runtime failure.
func (e *Engine) Read(ctx context.Context, img image.Image) ([]Line, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := img.Bounds()
	if b.Dx() < 1 || b.Dy() < 1 {
		return nil, nil
	}
	src := toRGBA(img)

	// detection
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := detSize(sw, sh, e.long)
	var boxes []detBox
	err := e.run(ctx, e.det, ort.NewShape(1, 3, int64(dh), int64(dw)), detInput(src, dw, dh),
		func(out []float32, shape ort.Shape) error {
			if len(shape) != 4 || shape[2] != int64(dh) || shape[3] != int64(dw) {
				return fmt.Errorf("ocr: detection output shape %v for input %dx%d", shape, dw, dh)
			}
			boxes = dbBoxes(out, dw, dh, sw, sh)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(boxes) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	strips := make([]strip, len(boxes))
	for i, bx := range boxes {
		strips[i] = cropStrip(src, bx.r, recMaxW)
	}
	if err := e.classify(ctx, strips); err != nil {
		return nil, err
	}
	texts, scores, err := e.recognise(ctx, strips)
	if err != nil {
		return nil, err
	}

	var lines []Line
	for i, bx := range boxes {
		t := strings.TrimSpace(texts[i])
		if t == "" || scores[i] < MinScore {
			continue
		}
		var box [4]image.Point
		for k, p := range bx.r.c {
			box[k] = image.Pt(int(math.Round(p.X))+b.Min.X, int(math.Round(p.Y))+b.Min.Y)
		}
		angle := 0
		if strips[i].vertical {
			angle = 90
		}
		if strips[i].flipped {
			angle += 180
		}
		lines = append(lines, Line{Text: t, Score: scores[i], Box: box, Angle: angle})
	}
	sortLines(lines)
	return lines, nil
}

// classify runs the angle classifier and turns strips it finds upside down (label 1, "180",
// with probability above clsThres).
func (e *Engine) classify(ctx context.Context, strips []strip) error {
	per := 3 * stripH * clsW
	for lo := 0; lo < len(strips); lo += clsBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+clsBatch, len(strips))
		data := make([]float32, (hi-lo)*per)
		for i := lo; i < hi; i++ {
			strips[i].clsInput(data[(i-lo)*per : (i-lo+1)*per])
		}
		err := e.run(ctx, e.cls, ort.NewShape(int64(hi-lo), 3, stripH, clsW), data,
			func(out []float32, shape ort.Shape) error {
				if len(shape) != 2 || shape[0] != int64(hi-lo) || shape[1] != 2 {
					return fmt.Errorf("ocr: classifier output shape %v", shape)
				}
				for i := lo; i < hi; i++ {
					p := out[(i-lo)*2 : (i-lo)*2+2]
					if p[1] > p[0] && p[1] > clsThres {
						strips[i].rotate180()
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
	}
	return nil
}

// recognise runs recognition over the strips in batches of nearly equal width (sorted by
// width, a batch padded to its widest member and at least recMinW, as PaddleOCR pads) and
// CTC-decodes each.
func (e *Engine) recognise(ctx context.Context, strips []strip) ([]string, []float64, error) {
	texts := make([]string, len(strips))
	scores := make([]float64, len(strips))
	order := make([]int, len(strips))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return strips[order[a]].w < strips[order[b]].w })
	for lo := 0; lo < len(order); {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		first := max(recMinW, strips[order[lo]].w)
		hi := lo + 1
		for hi < len(order) && hi-lo < recBatch && float64(max(recMinW, strips[order[hi]].w)) <= float64(first)*recBatchSlack {
			hi++
		}
		bw := max(recMinW, strips[order[hi-1]].w)
		per := 3 * stripH * bw
		data := make([]float32, (hi-lo)*per)
		for k := lo; k < hi; k++ {
			strips[order[k]].recInput(data[(k-lo)*per:(k-lo+1)*per], bw)
		}
		err := e.run(ctx, e.rec, ort.NewShape(int64(hi-lo), 3, stripH, int64(bw)), data,
			func(out []float32, shape ort.Shape) error {
				if len(shape) != 3 || shape[0] != int64(hi-lo) {
					return fmt.Errorf("ocr: recognition output shape %v", shape)
				}
				steps, classes := int(shape[1]), int(shape[2])
				for k := lo; k < hi; k++ {
					n := k - lo
					texts[order[k]], scores[order[k]] = ctcDecode(out[n*steps*classes:(n+1)*steps*classes], steps, classes, e.dict)
				}
				return nil
			})
		if err != nil {
			return nil, nil, err
		}
		lo = hi
	}
	return texts, scores, nil
}
