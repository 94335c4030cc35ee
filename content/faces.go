package content

import (
	_ "embed"
	"fmt"
	"image"
	"math"
	"sort"

	pigo "github.com/esimov/pigo/core"
	"golang.org/x/image/draw"
)

// facefinder is pigo v1.4.6's cascade/facefinder, unchanged (MIT, see facefinder.LICENSE).
//
//go:embed facefinder
var facefinderCascade []byte

// Face-finder tuning. faceShort is the short side the image is scaled to before the search
// (faces of an ID photo or a card portrait stay well above MinSize); faceMinQ is the cluster
// quality under which a detection is document-print noise.
const (
	faceShort     = 480
	faceMinSize   = 20
	faceShift     = 0.1
	faceScale     = 1.1
	faceIoU       = 0.2
	faceMinQ      = 20.0
	plainMaxGrad  = 12.0 // mean absolute gradient of a plain background strip (0..255 grey)
	idPhotoMinRel = 0.25 // ID photo: face side ≥ this share of the short side
)

type faceFinder struct {
	p *pigo.Pigo
}

func newFaceFinder() (*faceFinder, error) {
	p, err := pigo.NewPigo().Unpack(facefinderCascade)
	if err != nil {
		return nil, fmt.Errorf("content: facefinder cascade: %w", err)
	}
	return &faceFinder{p: p}, nil
}

// faceResult is what the photo rules need beyond the Faces facts.
type faceResult struct {
	Faces
	plain bool // a plain background beside the largest face (ID photo)
	// comparable: faces at least half the largest one's side (a stray small detection on an
	// ID photo's clothing does not make it a group).
	comparable int
	debug      string // detections and strip gradients, for the tuning dump
}

// find runs the cascade on a grey copy of img scaled to a short side of faceShort.
func (f *faceFinder) find(img image.Image) faceResult {
	b := img.Bounds()
	short := min(b.Dx(), b.Dy())
	if short <= 0 {
		return faceResult{}
	}
	scale := 1.0
	if short > faceShort {
		scale = float64(faceShort) / float64(short)
	}
	w := max(1, int(math.Round(float64(b.Dx())*scale)))
	h := max(1, int(math.Round(float64(b.Dy())*scale)))
	gray := image.NewGray(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(gray, gray.Bounds(), img, b, draw.Src, nil)

	cp := pigo.CascadeParams{
		MinSize:     faceMinSize,
		MaxSize:     min(w, h),
		ShiftFactor: faceShift,
		ScaleFactor: faceScale,
		ImageParams: pigo.ImageParams{Pixels: gray.Pix, Rows: h, Cols: w, Dim: gray.Stride},
	}
	dets := f.p.ClusterDetections(f.p.RunCascade(cp, 0), faceIoU)
	var res faceResult
	var largest pigo.Detection
	// pigo's clusters may overlap one another (a cluster gathers the windows near its seed,
	// not all of one face's): keep the best of overlapping ones.
	sort.Slice(dets, func(i, j int) bool { return dets[i].Q > dets[j].Q })
	var kept []pigo.Detection
	for _, d := range dets {
		res.debug += fmt.Sprintf(" q%.1f/s%d@%d,%d", d.Q, d.Scale, d.Col, d.Row)
		if float64(d.Q) < faceMinQ || overlapsAny(d, kept) {
			continue
		}
		kept = append(kept, d)
		res.Count++
		if d.Scale > largest.Scale {
			largest = d
		}
	}
	if res.Count == 0 {
		return res
	}
	for _, d := range kept {
		if 2*d.Scale >= largest.Scale {
			res.comparable++
		}
	}
	s := min(w, h)
	res.Largest = round3(float64(largest.Scale) / float64(s))
	res.LargestPx = int(math.Round(float64(largest.Scale) / scale))
	var grads []float64
	res.plain, grads = plainBeside(gray, largest)
	res.debug += fmt.Sprintf(" grads %.1f", grads)
	return res
}

// overlapsAny: d's centre lies inside one of the kept faces.
func overlapsAny(d pigo.Detection, kept []pigo.Detection) bool {
	for _, k := range kept {
		if abs(d.Row-k.Row)*2 < k.Scale && abs(d.Col-k.Col)*2 < k.Scale {
			return true
		}
	}
	return false
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// plainBeside: the strips left and right of the face, from its top to its chin, are flat grey
// (an ID photo's backdrop), where a scene has edges. A strip cut off by the border does not count
// against it; with no room on either side the photo is a tight crop, taken as plain.
func plainBeside(g *image.Gray, d pigo.Detection) (bool, []float64) {
	s := d.Scale
	top, bottom := d.Row-s/2, d.Row+s/2
	strips := []image.Rectangle{
		image.Rect(d.Col-s/2-s*6/10, top, d.Col-s/2-s/10, bottom),
		image.Rect(d.Col+s/2+s/10, top, d.Col+s/2+s*6/10, bottom),
	}
	plain := true
	var grads []float64
	for _, r := range strips {
		r = r.Intersect(g.Bounds())
		if r.Dx() < s/6 || r.Dy() < s/3 {
			continue
		}
		gr := meanGrad(g, r)
		grads = append(grads, gr)
		if gr > plainMaxGrad {
			plain = false
		}
	}
	return plain, grads
}

func meanGrad(g *image.Gray, r image.Rectangle) float64 {
	var sum, n float64
	for y := r.Min.Y; y < r.Max.Y-1; y++ {
		for x := r.Min.X; x < r.Max.X-1; x++ {
			p := int(g.GrayAt(x, y).Y)
			dx := int(g.GrayAt(x+1, y).Y) - p
			dy := int(g.GrayAt(x, y+1).Y) - p
			sum += math.Abs(float64(dx)) + math.Abs(float64(dy))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

// photoKind applies the photo rules to a picture with no document text: idPhoto (the kind
// kinds.json decides by face) or life_photo. It returns "" when the faces do not decide (no
// face), with the confidence of the decision.
func photoKind(fr faceResult, idPhoto string) (string, float64) {
	switch {
	case fr.Count == 0:
		return "", 0
	case fr.comparable == 1 && fr.Largest >= idPhotoMinRel && fr.plain:
		// Surer the larger the face: a close-up selfie on a wall is the look-alike.
		return idPhoto, round3(0.8 + 0.15*math.Min(1, (fr.Largest-idPhotoMinRel)/idPhotoMinRel))
	case fr.comparable > 1:
		return KindLifePhoto, 0.9
	case fr.Largest < idPhotoMinRel:
		return KindLifePhoto, 0.85
	default:
		return KindLifePhoto, 0.7 // one large face on a busy background
	}
}
