package render

import "slices"

// Mask choice. go-qrcode picks the data mask by the standard's penalty score alone and offers
// no way to pick another, so EncodeQR re-masks its symbol here (ISO/IEC 18004 §7.8): the data
// modules are XORed with the old and the new mask pattern and the format information is
// rewritten; the codewords, and so the version, stay as go-qrcode made them.

// maskPatterns are the eight data mask conditions; a module at row i, column j is inverted
// where the condition holds.
var maskPatterns = [8]func(i, j int) bool{
	func(i, j int) bool { return (i+j)%2 == 0 },
	func(i, j int) bool { return i%2 == 0 },
	func(i, j int) bool { return j%3 == 0 },
	func(i, j int) bool { return (i+j)%3 == 0 },
	func(i, j int) bool { return (i/2+j/3)%2 == 0 },
	func(i, j int) bool { return (i*j)%2+(i*j)%3 == 0 },
	func(i, j int) bool { return ((i*j)%2+(i*j)%3)%2 == 0 },
	func(i, j int) bool { return ((i+j)%2+(i*j)%3)%2 == 0 },
}

// formatWordsM are the 15-bit format information words for error correction level M and
// masks 0 to 7 (BCH-coded and XORed with 0x5412, as in the standard's Annex C table).
var formatWordsM = [8]uint16{0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0}

// alignmentCentres are the alignment pattern centre coordinates of versions 1 to 10.
var alignmentCentres = [MaxQRVersion + 1][]int{
	2: {6, 18}, 3: {6, 22}, 4: {6, 26}, 5: {6, 30}, 6: {6, 34},
	7: {6, 22, 38}, 8: {6, 24, 42}, 9: {6, 26, 46}, 10: {6, 28, 50},
}

// formatPositions returns where bit k (0 = least significant) of the format word sits, in
// both copies, as (x, y) pairs.
func formatPositions(n, k int) (x1, y1, x2, y2 int) {
	first := [15][2]int{{8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8}, {7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}}
	x1, y1 = first[k][0], first[k][1]
	if k < 8 {
		return x1, y1, n - 1 - k, 8
	}
	return x1, y1, 8, n - 15 + k
}

// isFunction reports whether module (x, y) of a version-v symbol of side n belongs to a
// function pattern or the format or version information, which masks leave alone.
func isFunction(v, n, x, y int) bool {
	switch {
	case x < 9 && y < 9, x >= n-8 && y < 9, x < 9 && y >= n-8: // finders, separators, format, dark module
		return true
	case x == 6 || y == 6: // timing
		return true
	case v >= 7 && ((x >= n-11 && x < n-8 && y < 6) || (y >= n-11 && y < n-8 && x < 6)): // version
		return true
	}
	cs := alignmentCentres[v]
	for _, cy := range cs {
		for _, cx := range cs {
			last := cs[len(cs)-1]
			if (cx == 6 && cy == 6) || (cx == 6 && cy == last) || (cx == last && cy == 6) {
				continue // where the finders are
			}
			if x >= cx-2 && x <= cx+2 && y >= cy-2 && y <= cy+2 {
				return true
			}
		}
	}
	return false
}

// maskOf reads the symbol's mask from its format information; ok is false unless both copies
// hold the same level-M word.
func maskOf(q *QR) (mask int, ok bool) {
	n := len(q.Modules)
	var w1, w2 uint16
	for k := range 15 {
		x1, y1, x2, y2 := formatPositions(n, k)
		if q.Modules[y1][x1] {
			w1 |= 1 << k
		}
		if q.Modules[y2][x2] {
			w2 |= 1 << k
		}
	}
	m := slices.Index(formatWordsM[:], w1)
	return m, m >= 0 && w1 == w2
}

// remask returns a copy of q under mask m; q's own mask must be from. The dark module at
// (8, n-8) is a function module and stays dark.
func remask(q *QR, from, m int) *QR {
	n := len(q.Modules)
	out := &QR{Version: q.Version, Modules: make([][]bool, n)}
	for y, row := range q.Modules {
		out.Modules[y] = slices.Clone(row)
		for x := range row {
			if !isFunction(q.Version, n, x, y) && maskPatterns[from](y, x) != maskPatterns[m](y, x) {
				out.Modules[y][x] = !row[x]
			}
		}
	}
	for k := range 15 {
		dark := formatWordsM[m]>>k&1 == 1
		x1, y1, x2, y2 := formatPositions(n, k)
		out.Modules[y1][x1], out.Modules[y2][x2] = dark, dark
	}
	return out
}

// penalty is the standard's mask penalty score (§7.8.3): runs of five or more modules of one
// colour, 2×2 blocks of one colour, finder-like 1:1:3:1:1 runs beside four light modules, and
// the dark share's distance from 50 %.
func penalty(q *QR) int {
	m := q.Modules
	n := len(m)
	at := func(x, y int, transposed bool) bool {
		if transposed {
			return m[x][y]
		}
		return m[y][x]
	}
	score := 0
	for _, tr := range []bool{false, true} {
		for y := range n {
			run := 1
			for x := 1; x <= n; x++ {
				if x < n && at(x, y, tr) == at(x-1, y, tr) {
					run++
					continue
				}
				if run >= 5 {
					score += 3 + run - 5
				}
				run = 1
			}
			for x := 0; x+6 < n; x++ {
				if !(at(x, y, tr) && !at(x+1, y, tr) && at(x+2, y, tr) && at(x+3, y, tr) && at(x+4, y, tr) && !at(x+5, y, tr) && at(x+6, y, tr)) {
					continue
				}
				light := func(from, to int) bool { // outside the symbol counts as light
					for i := from; i < to; i++ {
						if i >= 0 && i < n && at(i, y, tr) {
							return false
						}
					}
					return true
				}
				if light(x-4, x) || light(x+7, x+11) {
					score += 40
				}
			}
		}
	}
	dark := 0
	for y := range n {
		for x := range n {
			if m[y][x] {
				dark++
			}
			if x+1 < n && y+1 < n && m[y][x] == m[y][x+1] && m[y][x] == m[y+1][x] && m[y][x] == m[y+1][x+1] {
				score += 3
			}
		}
	}
	dev := dark*100/(n*n) - 50
	if dev < 0 {
		dev = -dev
	}
	return score + dev/5*10
}

// cleanMask returns q when its data holds no finder look-alike, else q under the other mask
// of least penalty that holds none, or q itself when its format information cannot be read or
// every mask has one. A clean symbol keeps go-qrcode's mask, so most symbols are go-qrcode's
// exactly (its penalty counts the quiet zone and so ranks masks a little differently).
func cleanMask(q *QR) *QR {
	if finderLookalikes(q) == 0 {
		return q
	}
	from, ok := maskOf(q)
	if !ok {
		return q
	}
	type option struct {
		q       *QR
		penalty int
	}
	var opts []option
	for m := range 8 {
		if m != from {
			s := remask(q, from, m)
			opts = append(opts, option{s, penalty(s)})
		}
	}
	slices.SortStableFunc(opts, func(a, b option) int { return a.penalty - b.penalty })
	for _, o := range opts {
		if finderLookalikes(o.q) == 0 {
			return o.q
		}
	}
	return q
}
