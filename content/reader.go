package content

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
	"time"

	"golang.org/x/image/draw"
)

// Defaults of Options.
const (
	DefaultWorkers = 1
	DefaultBudget  = 4 * time.Second
	DefaultMaxSide = 1600
)

// Reader turns images into content facts. It is safe for concurrent use; at most
// Options.Workers images are worked on at once.
type Reader struct {
	text  TextEngine
	opt   Options
	kinds *kindTable
	faces *faceFinder
	slots chan struct{}
	now   func() time.Time
}

// NewReader parses the embedded kind signatures and face cascade. text may be nil (no OCR
// engine): then only faces run and the status is "unavailable".
func NewReader(text TextEngine, opt Options) (*Reader, error) {
	if opt.Workers <= 0 {
		opt.Workers = DefaultWorkers
	}
	if opt.Budget <= 0 {
		opt.Budget = DefaultBudget
	}
	if opt.MaxSide <= 0 {
		opt.MaxSide = DefaultMaxSide
	}
	kinds, err := parseKinds(kindsJSON)
	if err != nil {
		return nil, err
	}
	faces, err := newFaceFinder()
	if err != nil {
		return nil, err
	}
	return &Reader{text: text, opt: opt, kinds: kinds, faces: faces,
		slots: make(chan struct{}, opt.Workers), now: time.Now}, nil
}

// TextAvailable reports whether a text engine is configured.
func (r *Reader) TextAvailable() bool { return r.text != nil }

func (r *Reader) engineInfo() EngineInfo {
	e := EngineInfo{Faces: FacesEngine}
	if r.text != nil {
		e.Text = r.text.Version()
	}
	return e
}

// Read returns the content facts of img. It never panics. It waits for a free worker (ctx may
// end the wait), then gives the work Options.Budget; past the budget, or when ctx ends, it
// returns status "timeout" at once while the worker slot stays held until the engines return,
// so the pool bounds the CPU whatever the callers do.
func (r *Reader) Read(ctx context.Context, img image.Image) Facts {
	timeout := Facts{Status: StatusTimeout, Kind: KindUnknown, Engine: r.engineInfo()}
	if img == nil || img.Bounds().Empty() {
		return Facts{Status: StatusFailed, Kind: KindUnknown, Engine: r.engineInfo()}
	}
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return timeout
	}
	wctx, cancel := context.WithTimeout(ctx, r.opt.Budget)
	done := make(chan Facts, 1)
	go func() {
		defer func() { <-r.slots }()
		defer cancel()
		defer func() {
			if v := recover(); v != nil {
				done <- Facts{Status: StatusFailed, Kind: KindUnknown, Engine: r.engineInfo()}
			}
		}()
		done <- r.read(wctx, img)
	}()
	select {
	case f := <-done:
		return f
	case <-wctx.Done():
		select {
		case f := <-done: // finished at the same moment: keep the answer
			return f
		default:
			return timeout
		}
	}
}

// read does the work of one image (inside a worker slot).
func (r *Reader) read(ctx context.Context, img image.Image) Facts {
	f := Facts{Kind: KindUnknown, Engine: r.engineInfo()}
	small := downscale(img, r.opt.MaxSide)
	// Faces are reported in pixels of the upload.
	pxScale := float64(max(img.Bounds().Dx(), img.Bounds().Dy())) / float64(max(small.Bounds().Dx(), small.Bounds().Dy()))

	if r.text == nil {
		fr := r.findFaces(small, pxScale)
		f.Status = StatusUnavailable
		f.Faces = facesFact(fr)
		// Without text a card portrait cannot be ruled out, so a face-decided photo kind is
		// reported with at most 0.5 confidence.
		if k, c := photoKind(fr, r.kinds.byRule[byFace]); k != "" {
			f.Kind, f.Confidence = k, math.Min(c, 0.5)
		}
		return f
	}

	best, err := r.readText(ctx, small, 0)
	if err != nil {
		return errFacts(f, err)
	}
	if best.d.Kind == "" && wantsRotation(best.lines) {
		for _, rot := range rotationOrder(best.lines) {
			if ctx.Err() != nil {
				return errFacts(f, ctx.Err())
			}
			try, err := r.readText(ctx, rotate(small, rot), rot)
			if err != nil {
				return errFacts(f, err)
			}
			if try.d.Best > best.d.Best && try.d.Kind != "" {
				best = try
			}
			if try.d.Confidence >= r.kinds.Confident {
				break
			}
		}
	}
	if ctx.Err() != nil {
		return errFacts(f, ctx.Err())
	}
	f.Status = StatusRead
	f.Kind, f.Confidence = best.d.Kind, best.d.Confidence
	f.Fields = r.kinds.extractFields(f.Kind, best.lines, r.now())
	turned := small
	if best.rotation != 0 {
		turned = rotate(small, best.rotation)
	}
	fr := r.findFaces(turned, pxScale)
	if f.Kind == "" {
		if fr.Count == 0 && !hasText(best.lines) {
			// A photo on its side: pigo finds upright faces only.
			for _, rot := range []int{90, 270, 180} {
				if ctx.Err() != nil {
					return errFacts(f, ctx.Err())
				}
				if t := r.findFaces(rotate(small, rot), pxScale); t.Count > 0 {
					fr, best.rotation = t, rot
					break
				}
			}
		}
		f.Kind, f.Confidence = r.kinds.pictureKind(fr, f.Fields, best.d, len(best.lines))
		if f.Kind != r.kinds.byRule[byPlate] {
			delete(f.Fields, FieldPlate)
		}
		if len(f.Fields) == 0 {
			f.Fields = nil
		}
	}
	f.Rotation = best.rotation
	f.Faces = facesFact(fr)
	return f
}

type reading struct {
	rotation int // clockwise turn of the upload that makes the text upright
	lines    []line
	d        decision
}

// readText runs the engine on img (the upload turned by rot). When the engine read most lines
// on their side, the page's turn is theirs: the boxes are turned into the upright frame and the
// lines put back in reading order, so labels find their values.
func (r *Reader) readText(ctx context.Context, img image.Image, rot int) (reading, error) {
	raw, err := r.text.Read(ctx, img)
	if err != nil {
		return reading{}, err
	}
	lines := prepareLines(raw)
	if t := pageTurn(lines); t != 0 {
		b := img.Bounds()
		for i := range lines {
			lines[i].rect = turnRect(lines[i].rect, t, b.Dx(), b.Dy())
			lines[i].angle = (lines[i].angle + t) % 360
			lines[i].dirX, lines[i].dirY = turnVec(lines[i].dirX, lines[i].dirY, t)
		}
		sortReading(lines)
		rot = (rot + t) % 360
	}
	return reading{rotation: rot, lines: lines, d: r.kinds.classify(joinText(lines))}, nil
}

// turnRect is r in the frame of a w×h image turned clockwise by deg.
func turnRect(r image.Rectangle, deg, w, h int) image.Rectangle {
	if r.Empty() {
		return r
	}
	pt := func(x, y int) image.Point {
		switch deg {
		case 90:
			return image.Pt(h-y, x)
		case 180:
			return image.Pt(w-x, h-y)
		case 270:
			return image.Pt(y, w-x)
		}
		return image.Pt(x, y)
	}
	return image.Rectangle{Min: pt(r.Min.X, r.Min.Y), Max: pt(r.Max.X, r.Max.Y)}.Canon()
}

// sortReading orders lines top to bottom, left to right within a row (boxes overlapping in
// height by half count as one row).
func sortReading(lines []line) {
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i].rect, lines[j].rect
		if sameRow(a, b) {
			return a.Min.X < b.Min.X
		}
		return a.Min.Y+a.Max.Y < b.Min.Y+b.Max.Y
	})
}

func sameRow(a, b image.Rectangle) bool {
	ov := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	return ov*2 >= min(a.Dy(), b.Dy())
}

func hasText(lines []line) bool {
	n := 0
	for _, l := range lines {
		for _, c := range l.text {
			if isHan(c) {
				n++
			}
		}
	}
	return n >= 4
}

// wantsRotation: no document signature, but the page has text, or its boxes stand upright
// (text running vertically: the page is on its side). A photo with little text is not retried.
func wantsRotation(lines []line) bool {
	upright, han := 0, 0
	for _, l := range lines {
		if !l.rect.Empty() && l.rect.Dy() > 2*l.rect.Dx() {
			upright++
		}
		for _, c := range l.text {
			if isHan(c) {
				han++
			}
		}
	}
	return upright >= 3 || han >= 12 || len(lines) >= 8
}

// pageTurn is how far the upload must be turned clockwise so that most of its text (counted
// in runes) stands upright, from the engine's per-line angles.
func pageTurn(lines []line) int {
	var weight [4]int
	for _, l := range lines {
		a := ((l.angle % 360) + 360) % 360 / 90
		weight[a] += len([]rune(l.text))
	}
	best := 0
	for a := 1; a < 4; a++ {
		if weight[a] > weight[best] {
			best = a
		}
	}
	if weight[best] <= weight[0] {
		return 0
	}
	return (360 - best*90) % 360
}

// rotationOrder is the order of whole-page turns to retry: the turn the line angles suggest
// first, then 90, 270, 180.
func rotationOrder(lines []line) []int {
	order := []int{90, 270, 180}
	if t := pageTurn(lines); t != 0 {
		out := []int{t}
		for _, r := range order {
			if r != t {
				out = append(out, r)
			}
		}
		return out
	}
	return order
}

// pictureKind decides a picture with no document signature: the face rules, else a vehicle
// photo when a well-formed plate was read, else other_photo. A vehicle photo is sure (0.95)
// only when nothing of a document was seen at all: no keyword scored, at most
// sureVehicleLines lines of text (a document photographed so badly that no keyword reads
// still shows many lines), and the plate read cleanly; otherwise 0.85, which the rulebook
// takes as unsure.
func (t *kindTable) pictureKind(fr faceResult, fields map[string]Field, d decision, lines int) (string, float64) {
	if k, c := photoKind(fr, t.byRule[byFace]); k != "" {
		return k, c
	}
	if p, ok := fields[FieldPlate]; ok && p.Valid != nil && *p.Valid {
		if d.Best <= 0 && lines <= sureVehicleLines && p.Confidence >= 0.95 {
			return t.byRule[byPlate], 0.95
		}
		return t.byRule[byPlate], 0.85
	}
	return KindOtherPhoto, 0.6
}

// sureVehicleLines is the most text lines a picture may show and still be surely a vehicle
// photo: the plate, a brand or a company name on the cab, a road sign.
const sureVehicleLines = 4

func (r *Reader) findFaces(img image.Image, pxScale float64) faceResult {
	fr := r.faces.find(img)
	fr.LargestPx = int(math.Round(float64(fr.LargestPx) * pxScale))
	return fr
}

func facesFact(fr faceResult) *Faces {
	f := fr.Faces
	return &f
}

func errFacts(f Facts, err error) Facts {
	f.Kind, f.Confidence, f.Fields, f.Faces, f.Rotation = KindUnknown, 0, nil, nil, 0
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		f.Status = StatusTimeout
	} else {
		f.Status = StatusFailed
	}
	return f
}

// downscale returns img scaled so its long side is at most maxSide (img itself when smaller),
// as RGBA.
func downscale(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	if long <= maxSide {
		return img
	}
	s := float64(maxSide) / float64(long)
	w := max(1, int(math.Round(float64(b.Dx())*s)))
	h := max(1, int(math.Round(float64(b.Dy())*s)))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// rotate turns img clockwise by deg (90, 180, 270).
func rotate(img image.Image, deg int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	var dst *image.RGBA
	switch deg {
	case 90, 270:
		dst = image.NewRGBA(image.Rect(0, 0, h, w))
	case 180:
		dst = image.NewRGBA(image.Rect(0, 0, w, h))
	default:
		panic(fmt.Sprintf("content: rotate by %d", deg))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := src.PixOffset(x, y)
			var nx, ny int
			switch deg {
			case 90: // (x, y) → (h-1-y, x)
				nx, ny = h-1-y, x
			case 180:
				nx, ny = w-1-x, h-1-y
			case 270:
				nx, ny = y, w-1-x
			}
			j := dst.PixOffset(nx, ny)
			copy(dst.Pix[j:j+4], src.Pix[i:i+4])
		}
	}
	return dst
}
