package content

import (
	"image"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/roadcheck/roadcheck/content/ocr"
)

// line is one OCR line prepared for matching: normalised text and its bounding rectangle.
type line struct {
	text  string // normalize(ocr text)
	score float64
	rect  image.Rectangle // zero when the engine gave no box
	angle int             // direction the text runs, degrees clockwise (textAngle)
	dirX  float64         // unit vector of the text direction, image frame
	dirY  float64
	high  float64 // text height in px (box side across the text)
	index int
}

func prepareLines(in []ocr.Line) []line {
	out := make([]line, 0, len(in))
	for i, l := range in {
		t := normalize(l.Text)
		if t == "" {
			continue
		}
		a, dx, dy, h := textDirection(l)
		out = append(out, line{text: t, score: l.Score, rect: boxRect(l.Box), angle: a, dirX: dx, dirY: dy, high: h, index: i})
	}
	return out
}

// textAngle is the direction the line's text runs, degrees clockwise rounded to a quarter turn
// (0 left to right, 90 top to bottom ...). ocr.Line.Angle only says whether the engine turned the
// cut (tall box) or flipped it: a long line on its side is cut along its own long side and keeps
// Angle 0. So the direction is taken from the box: the engine's strip runs from Box[0] to Box[1]
// (Box[1] to Box[2] for a turned tall box), reversed when flipped.
func textDirection(l ocr.Line) (angle int, ux, uy, high float64) {
	b := l.Box
	p, q, r := b[0], b[1], b[2]
	if l.Angle%180 == 90 {
		p, q, r = b[1], b[2], b[3]
	}
	dx, dy := float64(q.X-p.X), float64(q.Y-p.Y)
	high = math.Hypot(float64(r.X-q.X), float64(r.Y-q.Y))
	if l.Angle >= 180 {
		dx, dy = -dx, -dy
	}
	n := math.Hypot(dx, dy)
	if n == 0 {
		return l.Angle, 1, 0, high
	}
	a := math.Atan2(dy, dx) * 180 / math.Pi
	return ((int(math.Round(a/90))*90)%360 + 360) % 360, dx / n, dy / n, high
}

// turnVec turns a direction vector clockwise by deg (as the image is turned).
func turnVec(x, y float64, deg int) (float64, float64) {
	switch deg {
	case 90:
		return -y, x
	case 180:
		return -x, -y
	case 270:
		return y, -x
	}
	return x, y
}

// pageSkew is the median slope (dy/dx) of the upright text lines: a photographed page is
// rarely square to the camera, and a label's value sits along that slope.
func pageSkew(lines []line) float64 {
	var sl []float64
	for _, l := range lines {
		if l.dirX > 0.8 && len([]rune(l.text)) >= 4 {
			sl = append(sl, l.dirY/l.dirX)
		}
	}
	if len(sl) == 0 {
		return 0
	}
	sort.Float64s(sl)
	return sl[len(sl)/2]
}

func boxRect(b [4]image.Point) image.Rectangle {
	r := image.Rectangle{Min: b[0], Max: b[0]}
	for _, p := range b[1:] {
		r.Min.X = min(r.Min.X, p.X)
		r.Min.Y = min(r.Min.Y, p.Y)
		r.Max.X = max(r.Max.X, p.X)
		r.Max.Y = max(r.Max.Y, p.Y)
	}
	return r
}

// joinText is the text the classifier searches: lines in reading order, '|' between them (a
// keyword split over two lines costs one edit).
func joinText(lines []line) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// Field names.
const (
	FieldIDNumber          = "id_number"
	FieldName              = "name"
	FieldPlate             = "plate"
	FieldCertificateNumber = "certificate_number"
	FieldArchiveNumber     = "archive_number"
)

// extractFields reads the fields kinds.json gives the kind: the table's fields on every image,
// then the document kind's own; a kind that is no document of the table (no signature reached
// min_score: "", or a picture kind) gets picture_fields, since a plate on a picture with no
// document text is what tells a vehicle photo.
func (t *kindTable) extractFields(kind string, lines []line, today time.Time) map[string]Field {
	f := map[string]Field{}
	read := func(specs map[string]*fieldSpec) {
		for name, s := range specs {
			if v, ok := s.read(lines, today); ok {
				f[name] = v
			}
		}
	}
	read(t.Fields)
	if doc := t.documents[kind]; doc != nil {
		read(doc.Fields)
	} else {
		read(t.PictureFields)
	}
	if len(f) == 0 {
		return nil
	}
	return f
}

func boolPtr(b bool) *bool { return &b }

// idWeights and idCheck are GB 11643-1999's check-digit weights and check characters.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// validIDNumber: 17 digits and a check character that holds, with a real birth date not after
// today.
func validIDNumber(s string, today time.Time) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * idWeights[i]
	}
	if s[17] != idCheck[sum%11] {
		return false
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(today) {
		return false
	}
	return true
}

// wellFormedID: the shape of an ID number (17 digits, digit or X), whether or not it checks.
func wellFormedID(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(i == 17 && c == 'X') {
			return false
		}
	}
	return true
}

// repairDigits maps the usual OCR confusions in a digit string: O/o/D→0, I/l/|/i→1, and x→X in
// the check position.
func repairDigits(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch c {
		case 'O', 'o', 'D', 'Q':
			b[i] = '0'
		case 'I', 'l', '|', 'i', 'L':
			b[i] = '1'
		case 'x':
			b[i] = 'X'
		}
	}
	return string(b)
}

func idRunChar(r rune) bool {
	return (r >= '0' && r <= '9') || strings.ContainsRune("OoDQIl|iLXx", r)
}

// idCandidates returns the 18-character windows of the ID-number-like runs of a line.
func idCandidates(text string) []string {
	var out []string
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !idRunChar(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && idRunChar(rs[j]) {
			j++
		}
		if j-i >= 18 {
			run := string(rs[i:j]) // ASCII only
			for k := 0; k+18 <= len(run); k++ {
				out = append(out, run[k:k+18])
			}
		}
		i = j
	}
	return out
}

// findIDNumber picks the best ID number on the page: a valid one as read, else a valid repair,
// else a well-formed but invalid reading (reported with valid=false).
func findIDNumber(lines []line, today time.Time) (Field, bool) {
	var best Field
	bestRank := -1
	for _, l := range lines {
		for _, c := range idCandidates(l.text) {
			rank, val := -1, ""
			switch rep := repairDigits(c); {
			case validIDNumber(c, today):
				rank, val = 3, c
			case validIDNumber(rep, today):
				rank, val = 2, rep
			case wellFormedID(rep):
				rank, val = 1, rep
			}
			if rank > bestRank || (rank == bestRank && l.score > best.Confidence) {
				bestRank = rank
				best = Field{Value: val, Confidence: round3(l.score), Valid: boolPtr(rank >= 2)}
			}
		}
	}
	return best, bestRank > 0
}

// plateRe: province character, a letter, an optional separator, 5 or 6 letters/digits (I and O
// never occur on plates; they are repaired to 1 and 0 first). 挂/学/警 suffixes are dropped.
var plateRe = regexp.MustCompile(`([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-Za-z])[·.\-]?([A-Za-z0-9\]]{5,6})`)

func findPlate(lines []line) (Field, bool) {
	var best Field
	bestRank := -1
	for i, l := range lines {
		for _, m := range plateRe.FindAllStringSubmatch(l.text, -1) {
			tail := strings.ToUpper(m[3])
			tail = strings.NewReplacer("O", "0", "I", "1", "]", "J").Replace(tail)
			if len(tail) == 6 && !newEnergyTail(tail) {
				// A sixth character on an ordinary plate is usually the next field run in.
				tail = tail[:5]
			}
			v := m[1] + strings.ToUpper(m[2]) + tail
			rank := 1
			if nearLabel(lines, i, []string{"号牌号码", "车辆号牌", "号牌"}) {
				rank = 2
			}
			if rank > bestRank || (rank == bestRank && l.score > best.Confidence) {
				bestRank = rank
				best = Field{Value: v, Confidence: round3(l.score), Valid: boolPtr(validPlate(v))}
			}
		}
	}
	return best, bestRank > 0
}

// newEnergyTail: new-energy plates carry six characters after the letter, starting or ending
// with D or F.
func newEnergyTail(t string) bool {
	return len(t) == 6 && (t[0] == 'D' || t[0] == 'F' || t[5] == 'D' || t[5] == 'F')
}

var plateStrict = regexp.MustCompile(`^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$`)

func validPlate(v string) bool { return plateStrict.MatchString(v) }

// nearLabel: the line itself, or the line before it, carries one of the labels.
func nearLabel(lines []line, i int, labels []string) bool {
	for _, j := range []int{i, i - 1} {
		if j < 0 {
			continue
		}
		for _, lb := range labels {
			if strings.Contains(lines[j].text, lb) {
				return true
			}
		}
	}
	return false
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// nameValue: 2 to 4 Han characters opening the text (after a colon), not a label.
func nameValue(s string) (string, bool) {
	s = strings.TrimLeft(s, ":;.,|")
	// Copy watermarks (复印无效, 仅供…使用) run through the name line.
	s = watermarks.Replace(s)
	rs := []rune(s)
	n := 0
	for n < len(rs) && isHan(rs[n]) {
		n++
	}
	v := string(rs[:n])
	// OCR runs neighbouring labels into one line (姓名张伟性别男): the name ends at the next label.
	for _, lb := range []string{"性别", "民族", "出生", "住址", "国籍", "证号", "姓名", "档案编号", "记录", "准驾车型", "有效期", "初次领证", "从业资格", "考核周期", "身份"} {
		if k := strings.Index(v, lb); k >= 0 {
			v = v[:k]
		}
	}
	if n := len([]rune(v)); n < 2 || n > 4 {
		return "", false
	}
	return v, true
}

var watermarks = strings.NewReplacer("复印无效", "", "复印", "", "无效", "", "仅供", "", "仅限", "")

func findName(lines []line) (Field, bool) {
	return labelValue(lines, []string{"姓名"}, nameValue)
}

// labelValue finds the first line holding one of labels and reads the value after it on the
// same line, else in the box to its right on the same row, else in the line below.
func labelValue(lines []line, labels []string, accept func(string) (string, bool)) (Field, bool) {
	for i, l := range lines {
		for _, lb := range labels {
			k := labelIndex(l.text, lb)
			if k < 0 {
				continue
			}
			if v, ok := accept(l.text[k+len(lb):]); ok {
				return Field{Value: v, Confidence: round3(l.score)}, true
			}
			for _, j := range neighbours(lines, i) {
				if v, ok := accept(lines[j].text); ok {
					return Field{Value: v, Confidence: round3(lines[j].score)}, true
				}
			}
		}
	}
	return Field{}, false
}

// labelIndex is where label opens in text, skipping the places where it ends a longer label
// (证号 inside 经营许可证号 or 从业资格证号).
func labelIndex(text, label string) int {
	from := 0
	for {
		k := strings.Index(text[from:], label)
		if k < 0 {
			return -1
		}
		k += from
		before := text[:k]
		if !strings.HasSuffix(before, "许可") && !strings.HasSuffix(before, "资格") && !strings.HasSuffix(before, "运输") {
			return k
		}
		from = k + len(label)
	}
}

// neighbours of line i where a label's value may sit: the boxes to the right on the same row,
// nearest first, then the nearest line below; with no boxes, the next line.
func neighbours(lines []line, i int) []int {
	l := lines[i]
	if l.rect.Empty() {
		if i+1 < len(lines) {
			return []int{i + 1}
		}
		return nil
	}
	skew := pageSkew(lines)
	type cand struct {
		j  int
		dx float64
	}
	var rights []cand
	below, bestB := -1, math.MaxFloat64
	h := l.high
	if h <= 0 {
		h = float64(l.rect.Dy())
	}
	cx := float64(l.rect.Min.X+l.rect.Max.X) / 2
	cy := float64(l.rect.Min.Y+l.rect.Max.Y) / 2
	for j, c := range lines {
		if j == i || c.rect.Empty() {
			continue
		}
		ccx := float64(c.rect.Min.X+c.rect.Max.X) / 2
		ccy := float64(c.rect.Min.Y+c.rect.Max.Y) / 2
		// Where the label's row passes at the candidate's centre, along the page's skew.
		off := ccy - (cy + skew*(ccx-cx))
		dx := float64(c.rect.Min.X - l.rect.Max.X)
		ch := c.high
		if ch <= 0 {
			ch = float64(c.rect.Dy())
		}
		if math.Abs(off) < 0.6*max(h, ch) && dx > -h && dx < 12*h {
			rights = append(rights, cand{j, dx})
			continue
		}
		if off > h*0.5 && off < 2.5*h && c.rect.Max.X >= l.rect.Min.X {
			d := off + 0.5*math.Abs(float64(c.rect.Min.X-l.rect.Min.X))
			if d < bestB {
				bestB, below = d, j
			}
		}
	}
	// Every box on the row, nearest first (a watermark fragment may sit between label and
	// value), then the line below.
	sort.Slice(rights, func(a, b int) bool { return rights[a].dx < rights[b].dx })
	var out []int
	for _, c := range rights {
		out = append(out, c.j)
	}
	if below >= 0 {
		out = append(out, below)
	}
	return out
}

// archiveValue: 12 digits (OCR confusions repaired).
func archiveValue(s string) (string, bool) {
	s = strings.TrimLeft(s, ":;.,|")
	m := digitRun.FindString(s)
	if m == "" {
		return "", false
	}
	m = repairDigits(m)
	if len(m) != 12 || strings.Trim(m, "0123456789") != "" {
		return "", false
	}
	return m, true
}

var digitRun = regexp.MustCompile(`^[0-9OoDIl|]{8,}`)

var (
	alnumRun     = regexp.MustCompile(`^[0-9A-Za-z|]{8,20}`)
	transportRun = regexp.MustCompile(`^(\p{Han}{2,12}字[0-9OoIl]{6,14}号?|[0-9OoIl]{12})`)
)

// certValue: an ID-number-like or other alphanumeric certificate number of 8 to 20 characters.
func certValue(s string) (string, bool) {
	s = strings.TrimLeft(s, ":;.,|")
	m := alnumRun.FindString(s)
	if m == "" {
		return "", false
	}
	if rep := repairDigits(m); len(rep) == 18 && wellFormedID(rep) {
		return rep, true
	}
	return strings.ToUpper(m), true
}

// transportValue: 豫交运管许可郑字410100123456号 or 12 digits.
func transportValue(s string) (string, bool) {
	s = strings.TrimLeft(s, ":;.,|")
	m := transportRun.FindString(s)
	if m == "" {
		return "", false
	}
	rs := []rune(m)
	for i, r := range rs {
		switch r {
		case 'O', 'o':
			rs[i] = '0'
		case 'I', 'l':
			rs[i] = '1'
		}
	}
	return string(rs), true
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
