package ocr

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// DB post-processing parameters: PaddleOCR's defaults for PP-OCRv4 (det_db_thresh,
// det_db_box_thresh, det_db_unclip_ratio, min_size, max_candidates).
const (
	detThresh     = 0.3
	detBoxThresh  = 0.6
	detUnclip     = 1.5
	detMinSize    = 3
	detCandidates = 1000
)

// Detection normalisation. PaddleOCR feeds OpenCV's BGR image and applies the ImageNet means
// in that channel order, so channel 0 (blue) gets 0.485.
var (
	detMean = [3]float32{0.485, 0.456, 0.406}
	detStd  = [3]float32{0.229, 0.224, 0.225}
)

// toRGBA copies img into an RGBA image with bounds starting at (0, 0), composited over white
// so transparent regions read as paper rather than black.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if o, ok := img.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	}
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	return dst
}

// detSize is PaddleOCR's DetResizeForTest with limit_type "max": the long side is brought
// down to limit (never enlarged), then each side is rounded to a multiple of 32.
func detSize(w, h, limit int) (int, int) {
	ratio := 1.0
	if m := max(w, h); m > limit {
		ratio = float64(limit) / float64(m)
	}
	r32 := func(v int) int {
		n := int(math.Round(float64(v)*ratio/32)) * 32
		return max(n, 32)
	}
	return r32(w), r32(h)
}

// detInput resizes src bilinearly (OpenCV INTER_LINEAR pixel-centre convention) to dw×dh and
// returns the normalised BGR CHW tensor data.
func detInput(src *image.RGBA, dw, dh int) []float32 {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	out := make([]float32, 3*dw*dh)
	plane := dw * dh
	fx, fy := float64(sw)/float64(dw), float64(sh)/float64(dh)
	x0s, x1s := make([]int, dw), make([]int, dw)
	wxs := make([]float32, dw)
	for x := range dw {
		sx := (float64(x)+0.5)*fx - 0.5
		x0 := int(math.Floor(sx))
		wx := float32(sx - float64(x0))
		x1 := x0 + 1
		x0, x1 = clampInt(x0, 0, sw-1), clampInt(x1, 0, sw-1)
		x0s[x], x1s[x], wxs[x] = x0*4, x1*4, wx
	}
	var scale [3]float32
	var bias [3]float32
	for c := range 3 {
		scale[c] = 1 / (255 * detStd[c])
		bias[c] = -detMean[c] / detStd[c]
	}
	pix := src.Pix
	for y := range dh {
		sy := (float64(y)+0.5)*fy - 0.5
		y0 := int(math.Floor(sy))
		wy := float32(sy - float64(y0))
		y1 := clampInt(y0+1, 0, sh-1)
		y0 = clampInt(y0, 0, sh-1)
		r0, r1 := pix[y0*src.Stride:], pix[y1*src.Stride:]
		for x := range dw {
			a, b, wx := x0s[x], x1s[x], wxs[x]
			i := y*dw + x
			// RGBA byte order; output channel c is BGR, so c=0 reads byte 2.
			for c := range 3 {
				k := 2 - c
				top := float32(r0[a+k])*(1-wx) + float32(r0[b+k])*wx
				bot := float32(r1[a+k])*(1-wx) + float32(r1[b+k])*wx
				v := top*(1-wy) + bot*wy
				out[c*plane+i] = v*scale[c] + bias[c]
			}
		}
	}
	return out
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// detBox is one detected text box in source-image coordinates.
type detBox struct {
	r     rect
	score float64
}

// dbBoxes is PaddleOCR's DBPostProcess ("fast" box score) with connected components and a
// minimum-area rectangle in place of OpenCV's contours: threshold the probability map, take
// each 8-connected component, fit its minimum-area rectangle, score it by the mean
// probability inside, grow it by the unclip offset and scale it to the source image.
func dbBoxes(prob []float32, pw, ph, srcW, srcH int) []detBox {
	n := pw * ph
	label := make([]int32, n) // 0 unvisited, -1 visited/background
	for i, p := range prob[:n] {
		if p <= detThresh {
			label[i] = -1
		}
	}
	sx, sy := float64(srcW)/float64(pw), float64(srcH)/float64(ph)
	var boxes []detBox
	var stack, comp []int32
	cands := 0
	for start := range n {
		if label[start] != 0 {
			continue
		}
		if cands >= detCandidates {
			break
		}
		cands++
		// flood fill
		stack = append(stack[:0], int32(start))
		label[start] = -1
		comp = comp[:0]
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			comp = append(comp, i)
			x, y := int(i)%pw, int(i)/pw
			for dy := -1; dy <= 1; dy++ {
				yy := y + dy
				if yy < 0 || yy >= ph {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					xx := x + dx
					if xx < 0 || xx >= pw {
						continue
					}
					j := int32(yy*pw + xx)
					if label[j] == 0 {
						label[j] = -1
						stack = append(stack, j)
					}
				}
			}
		}
		if len(comp) < 3 {
			continue
		}
		r := minAreaRect(rowExtremes(comp, pw))
		if r.short() < detMinSize {
			continue
		}
		score := boxScore(prob, pw, ph, r)
		if score < detBoxThresh {
			continue
		}
		u := unclip(r, detUnclip)
		if u.short() < detMinSize+2 {
			continue
		}
		var c [4]pt
		for k, p := range u.c {
			c[k] = pt{
				X: math.Min(math.Max(p.X*sx, 0), float64(srcW-1)),
				Y: math.Min(math.Max(p.Y*sy, 0), float64(srcH-1)),
			}
		}
		o := orderRect(c)
		if int(dist(o.c[0], o.c[1])) <= 3 || int(dist(o.c[0], o.c[3])) <= 3 {
			continue
		}
		boxes = append(boxes, detBox{r: o, score: score})
	}
	return boxes
}

// rowExtremes returns the leftmost and rightmost pixel of each row of a component: the
// convex hull of these equals the hull of the whole component, at a fraction of the points.
func rowExtremes(comp []int32, pw int) []pt {
	minY, maxY := math.MaxInt, -1
	for _, i := range comp {
		y := int(i) / pw
		minY, maxY = min(minY, y), max(maxY, y)
	}
	rows := maxY - minY + 1
	lo := make([]int, rows)
	hi := make([]int, rows)
	for k := range lo {
		lo[k], hi[k] = math.MaxInt, -1
	}
	for _, i := range comp {
		x, y := int(i)%pw, int(i)/pw-minY
		lo[y], hi[y] = min(lo[y], x), max(hi[y], x)
	}
	pts := make([]pt, 0, 2*rows)
	for k := range rows {
		if hi[k] < 0 {
			continue
		}
		y := float64(minY + k)
		pts = append(pts, pt{float64(lo[k]), y})
		if hi[k] != lo[k] {
			pts = append(pts, pt{float64(hi[k]), y})
		}
	}
	return pts
}

// boxScore is the mean probability over the map pixels inside the rectangle (PaddleOCR's
// box_score_fast, whose fillPoly mask includes the boundary pixels).
func boxScore(prob []float32, pw, ph int, r rect) float64 {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range r.c {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	x0, x1 := clampInt(int(math.Floor(minX)), 0, pw-1), clampInt(int(math.Ceil(maxX)), 0, pw-1)
	y0, y1 := clampInt(int(math.Floor(minY)), 0, ph-1), clampInt(int(math.Ceil(maxY)), 0, ph-1)
	var sum float64
	var cnt int
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			if inConvexQuad(r.c, pt{float64(x), float64(y)}, 0.5) {
				sum += float64(prob[y*pw+x])
				cnt++
			}
		}
	}
	if cnt == 0 {
		return 0
	}
	return sum / float64(cnt)
}
