package ocr

import (
	"math"
	"sort"
)

// pt is a point in pixel-index coordinates (pixel (x, y) has its centre at (x, y)), the
// convention OpenCV's contours use, which PaddleOCR's thresholds were tuned with.
type pt struct{ X, Y float64 }

func (p pt) sub(q pt) pt         { return pt{p.X - q.X, p.Y - q.Y} }
func (p pt) add(q pt) pt         { return pt{p.X + q.X, p.Y + q.Y} }
func (p pt) scale(f float64) pt  { return pt{p.X * f, p.Y * f} }
func (p pt) dot(q pt) float64    { return p.X*q.X + p.Y*q.Y }
func (p pt) cross(q pt) float64  { return p.X*q.Y - p.Y*q.X }
func (p pt) norm() float64       { return math.Hypot(p.X, p.Y) }
func dist(p, q pt) float64       { return p.sub(q).norm() }
func cross3(o, a, b pt) float64  { return a.sub(o).cross(b.sub(o)) }
func lerp(p, q pt, t float64) pt { return p.add(q.sub(p).scale(t)) }

// convexHull returns the convex hull of pts counter-clockwise in a y-down frame (Andrew's
// monotone chain), without collinear points. It reorders pts.
func convexHull(pts []pt) []pt {
	if len(pts) < 3 {
		return append([]pt(nil), pts...)
	}
	sort.Slice(pts, func(i, j int) bool {
		if pts[i].X != pts[j].X {
			return pts[i].X < pts[j].X
		}
		return pts[i].Y < pts[j].Y
	})
	h := make([]pt, 0, 2*len(pts))
	for _, p := range pts {
		for len(h) >= 2 && cross3(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lower := len(h) + 1
	for i := len(pts) - 2; i >= 0; i-- {
		p := pts[i]
		for len(h) >= lower && cross3(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// rect is a rotated rectangle: corners clockwise (y down) from the top-left, with side
// lengths W (c[0]→c[1]) and H (c[1]→c[2]).
type rect struct {
	c    [4]pt
	W, H float64
}

func (r rect) short() float64 { return math.Min(r.W, r.H) }

// minAreaRect is the minimum-area enclosing rectangle of a point set: one side of the optimum
// lies on a hull edge, so every hull edge direction is tried (the rotating-calipers argument;
// hulls of text components are small, so the plain O(n·h) sweep is enough). Degenerate sets
// (a point, a segment) give a zero-width rectangle.
func minAreaRect(points []pt) rect {
	h := convexHull(append([]pt(nil), points...))
	switch len(h) {
	case 0:
		return rect{}
	case 1:
		return orderRect([4]pt{h[0], h[0], h[0], h[0]})
	}
	best := math.Inf(1)
	var bc [4]pt
	for i := range h {
		e := h[(i+1)%len(h)].sub(h[i])
		l := e.norm()
		if l == 0 {
			continue
		}
		u := e.scale(1 / l)
		v := pt{-u.Y, u.X}
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range h {
			a, b := p.dot(u), p.dot(v)
			minU, maxU = math.Min(minU, a), math.Max(maxU, a)
			minV, maxV = math.Min(minV, b), math.Max(maxV, b)
		}
		area := (maxU - minU) * (maxV - minV)
		if area < best-1e-9 {
			best = area
			at := func(a, b float64) pt { return u.scale(a).add(v.scale(b)) }
			bc = [4]pt{at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)}
		}
	}
	return orderRect(bc)
}

// orderRect orders four corners as PaddleOCR's get_mini_boxes does: of the two leftmost
// points the upper one is the top-left, of the two rightmost the upper one is the top-right.
func orderRect(c [4]pt) rect {
	s := c
	sort.SliceStable(s[:], func(i, j int) bool { return s[i].X < s[j].X })
	tl, bl := s[0], s[1]
	if bl.Y < tl.Y {
		tl, bl = bl, tl
	}
	tr, br := s[2], s[3]
	if br.Y < tr.Y {
		tr, br = br, tr
	}
	o := [4]pt{tl, tr, br, bl}
	return rect{c: o, W: dist(o[0], o[1]), H: dist(o[1], o[2])}
}

// unclip grows a detected text kernel back to the full text box, as PaddleOCR does with
// pyclipper: offset distance d = area·ratio / perimeter. For a rectangle the minimum-area
// rectangle of the round-joined offset polygon is the rectangle grown by d on every side.
func unclip(r rect, ratio float64) rect {
	per := 2 * (r.W + r.H)
	if per == 0 {
		return r
	}
	d := r.W * r.H * ratio / per
	ctr := r.c[0].add(r.c[2]).scale(0.5)
	u, v := pt{1, 0}, pt{0, 1}
	if r.W > 0 {
		u = r.c[1].sub(r.c[0]).scale(1 / r.W)
	}
	if r.H > 0 {
		v = r.c[2].sub(r.c[1]).scale(1 / r.H)
	} else {
		v = pt{-u.Y, u.X}
	}
	hw, hh := r.W/2+d, r.H/2+d
	at := func(a, b float64) pt { return ctr.add(u.scale(a)).add(v.scale(b)) }
	return orderRect([4]pt{at(-hw, -hh), at(hw, -hh), at(hw, hh), at(-hw, hh)})
}

// inConvexQuad reports whether p lies inside (or within tol of) the convex quadrilateral q
// given in either winding.
func inConvexQuad(q [4]pt, p pt, tol float64) bool {
	sign := 0.0
	for i := range 4 {
		a, b := q[i], q[(i+1)%4]
		e := b.sub(a)
		l := e.norm()
		if l == 0 {
			continue
		}
		c := e.cross(p.sub(a)) / l // signed distance from the edge line
		if sign == 0 {
			// the winding is the sign of the quad's area
			area := 0.0
			for j := range 4 {
				area += q[j].cross(q[(j+1)%4])
			}
			sign = 1
			if area < 0 {
				sign = -1
			}
		}
		if c*sign < -tol {
			return false
		}
	}
	return true
}
