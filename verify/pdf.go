package verify

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Certificate PDFs (design.md, "Verifying a PDF"). A roadcheck PDF carries its payload twice:
// as the Info dictionary's /Subject (the fast path) and as the QR code on the page, drawn as
// one filled square per dark module. readPDF reads both: the metadata by parsing the file's
// objects, the QR code by interpreting the page's content stream (rectangles, fill colours,
// q/Q and cm) and decoding the module grid it finds with the photo pipeline. Nothing is
// rasterised and no font is read.
//
// The parser is written for untrusted input: it scans the file for "N G obj … endobj" and
// "trailer" (so it needs no valid xref table and survives truncation), bounds nesting, object
// count, inflated stream bytes, operators and rectangles, checks the budget between objects
// and operators, and cannot panic on a short or hostile file (FuzzReadPDF).

// PDF bounds, beyond Limits.MaxBytes (which applies to the file as to a photo).
const (
	pdfMaxObjects       = 1 << 16 // objects parsed from one file
	pdfMaxDepth         = 32      // nesting of arrays and dictionaries
	pdfMaxInflated      = 8 << 20 // content-stream bytes after FlateDecode, all streams together
	pdfMaxOps           = 1 << 20 // content-stream operators interpreted
	pdfMaxRects         = 1 << 16 // filled rectangles collected
	pdfMaxStackOperands = 64
	pdfMaxGStack        = 64
)

// ErrPDFMismatch means the PDF's metadata payload is not the payload its QR code shows: one
// of them was edited. Verify reports it as status malformed.
var ErrPDFMismatch = errors.New("verify: the PDF's metadata payload differs from its QR code")

// pdfContent is what readPDF found.
type pdfContent struct {
	meta string // payload from /Subject or /Keywords ("" if none)
	qr   *gray  // the QR code's modules at pdfModulePx pixels each, with quiet zone; nil if none
}

type (
	pdfName   string
	pdfString []byte
	pdfRef    struct{ num, gen int }
	pdfDict   map[pdfName]any
	pdfArray  []any
	pdfStream struct {
		dict pdfDict
		raw  []byte
	}
	pdfKeyword string
)

// pdfLexer tokenises PDF syntax (PDF 32000-1 §7.2, §7.3).
type pdfLexer struct {
	b   []byte
	pos int
	// endAt is the position of the first "endstream" at or after some earlier position
	// (-1: none there, so none later either); searches only move forward, so the file is
	// searched once however many streams lack their end.
	endAt, endFrom int
	endKnown       bool
}

// nextEndstream is the index of the first "endstream" at or after from, or -1.
func (l *pdfLexer) nextEndstream(from int) int {
	if l.endKnown && from >= l.endFrom && (l.endAt < 0 || l.endAt >= from) {
		return l.endAt
	}
	l.endKnown, l.endFrom, l.endAt = true, from, -1
	if i := bytes.Index(l.b[from:], []byte("endstream")); i >= 0 {
		l.endAt = from + i
	}
	return l.endAt
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool { return strings.IndexByte("()<>[]{}/%", c) >= 0 }

func (l *pdfLexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isPDFSpace(c) {
			l.pos++
		} else if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		} else {
			return
		}
	}
}

var errPDFSyntax = errors.New("PDF syntax")

// token returns the next token: float64 for numbers, pdfName, pdfString, pdfKeyword (also
// for "<<", ">>", "[", "]", "{", "}" and bare words), or io.EOF.
func (l *pdfLexer) token() (any, error) {
	l.skipSpace()
	if l.pos >= len(l.b) {
		return nil, io.EOF
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		l.pos++
		start := l.pos
		for l.pos < len(l.b) && !isPDFSpace(l.b[l.pos]) && !isPDFDelim(l.b[l.pos]) {
			l.pos++
		}
		return pdfName(l.b[start:l.pos]), nil
	case c == '(':
		return l.literal()
	case c == '<':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '<' {
			l.pos += 2
			return pdfKeyword("<<"), nil
		}
		return l.hex()
	case c == '>':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '>' {
			l.pos += 2
			return pdfKeyword(">>"), nil
		}
		l.pos++
		return nil, errPDFSyntax
	case c == '[' || c == ']' || c == '{' || c == '}':
		l.pos++
		return pdfKeyword(string(c)), nil
	case c == ')':
		l.pos++
		return nil, errPDFSyntax
	}
	start := l.pos
	for l.pos < len(l.b) && !isPDFSpace(l.b[l.pos]) && !isPDFDelim(l.b[l.pos]) {
		l.pos++
	}
	w := l.b[start:l.pos]
	if c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9') {
		if f, err := strconv.ParseFloat(string(w), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, nil
		}
	}
	return pdfKeyword(w), nil
}

func (l *pdfLexer) literal() (any, error) {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return pdfString(out), nil
			}
		case '\\':
			if l.pos >= len(l.b) {
				return nil, errPDFSyntax
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				if e == '\r' && l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, errPDFSyntax
}

func (l *pdfLexer) hex() (any, error) {
	l.pos++ // <
	var out []byte
	var hi int = -1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			if hi >= 0 {
				out = append(out, byte(hi<<4))
			}
			return pdfString(out), nil
		}
		if isPDFSpace(c) {
			continue
		}
		v := hexVal(c)
		if v < 0 {
			return nil, errPDFSyntax
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	return nil, errPDFSyntax
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// value parses one object after its first token t: dictionaries, arrays, and "N G R"
// references (which look ahead two tokens).
func (l *pdfLexer) value(t any, depth int) (any, error) {
	if depth > pdfMaxDepth {
		return nil, errPDFSyntax
	}
	switch v := t.(type) {
	case pdfKeyword:
		switch v {
		case "<<":
			d := pdfDict{}
			for {
				k, err := l.token()
				if err != nil {
					return nil, errPDFSyntax
				}
				if k == pdfKeyword(">>") {
					return d, nil
				}
				name, ok := k.(pdfName)
				if !ok {
					return nil, errPDFSyntax
				}
				t, err := l.token()
				if err != nil {
					return nil, errPDFSyntax
				}
				val, err := l.value(t, depth+1)
				if err != nil {
					return nil, err
				}
				d[name] = val
			}
		case "[":
			var a pdfArray
			for {
				t, err := l.token()
				if err != nil {
					return nil, errPDFSyntax
				}
				if t == pdfKeyword("]") {
					return a, nil
				}
				val, err := l.value(t, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, val)
			}
		}
		return v, nil
	case float64:
		// "N G R"?
		save := l.pos
		if n, ok := pdfInt(v); ok {
			if g, err := l.token(); err == nil {
				if gf, ok := g.(float64); ok {
					if gen, ok := pdfInt(gf); ok {
						if r, err := l.token(); err == nil && r == pdfKeyword("R") {
							return pdfRef{n, gen}, nil
						}
					}
				}
			}
		}
		l.pos = save
		return v, nil
	}
	return t, nil
}

func pdfInt(f float64) (int, bool) {
	if f < 0 || f > 1<<30 || f != math.Trunc(f) {
		return 0, false
	}
	return int(f), true
}

// pdfFile is the objects and trailers found in a file.
type pdfFile struct {
	objects  map[int]any
	trailers []pdfDict
}

// parsePDFObjects scans b for indirect objects and trailers. Later definitions of an object
// number replace earlier ones, as incremental updates do.
func parsePDFObjects(ctx context.Context, b []byte) (*pdfFile, error) {
	f := &pdfFile{objects: map[int]any{}}
	l := &pdfLexer{b: b}
	// The last two numbers seen, for "N G obj".
	var n1, n2 float64
	var have int
	count := 0
	for {
		if count&63 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		count++
		start := l.pos
		t, err := l.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			have = 0
			if l.pos == start {
				l.pos++
			}
			continue
		}
		switch v := t.(type) {
		case float64:
			n1, n2 = n2, v
			have = min(have+1, 2)
			continue
		case pdfKeyword:
			switch v {
			case "obj":
				if have < 2 {
					break
				}
				num, ok1 := pdfInt(n1)
				_, ok2 := pdfInt(n2)
				if !ok1 || !ok2 {
					break
				}
				if len(f.objects) >= pdfMaxObjects {
					return nil, fmt.Errorf("%w: more than %d PDF objects", ErrUnreadable, pdfMaxObjects)
				}
				obj, err := l.object()
				if err != nil {
					break // a damaged object: go on scanning after it
				}
				f.objects[num] = obj
			case "trailer":
				t, err := l.token()
				if err != nil {
					break
				}
				if d, err := l.value(t, 0); err == nil {
					if d, ok := d.(pdfDict); ok {
						f.trailers = append(f.trailers, d)
					}
				}
			case "stream":
				// A stream whose object failed to parse: skip its data, which is binary.
				if i := l.nextEndstream(l.pos); i >= 0 {
					l.pos = i + len("endstream")
				} else {
					l.pos = len(b)
				}
			}
		}
		have = 0
	}
	return f, nil
}

// object parses the value after "N G obj" and, for a stream, its data.
func (l *pdfLexer) object() (any, error) {
	t, err := l.token()
	if err != nil {
		return nil, errPDFSyntax
	}
	v, err := l.value(t, 0)
	if err != nil {
		return nil, err
	}
	d, ok := v.(pdfDict)
	if !ok {
		return v, nil
	}
	save := l.pos
	if k, err := l.token(); err != nil || k != pdfKeyword("stream") {
		l.pos = save
		return d, nil
	}
	// The data starts after the EOL that follows "stream" (CRLF or LF).
	if l.pos < len(l.b) && l.b[l.pos] == '\r' {
		l.pos++
	}
	if l.pos < len(l.b) && l.b[l.pos] == '\n' {
		l.pos++
	}
	start := l.pos
	end := -1
	if n, ok := d[pdfName("Length")].(float64); ok {
		if n, ok := pdfInt(n); ok && n <= len(l.b)-start {
			rest := l.b[start+n:]
			trim := bytes.TrimLeft(rest, " \r\n\t\f\x00")
			if bytes.HasPrefix(trim, []byte("endstream")) {
				end = start + n
			}
		}
	}
	if end < 0 { // indirect or wrong /Length: find the keyword
		i := l.nextEndstream(start)
		if i < 0 {
			l.pos = len(l.b)
			return nil, errPDFSyntax
		}
		end = i
		for end > start && (l.b[end-1] == '\n' || l.b[end-1] == '\r') {
			end--
		}
	}
	l.pos = end
	if i := l.nextEndstream(l.pos); i >= 0 {
		l.pos = i + len("endstream")
	}
	return pdfStream{dict: d, raw: l.b[start:end]}, nil
}

// resolve follows references (a bounded number of times).
func (f *pdfFile) resolve(v any) any {
	for i := 0; i < 8; i++ {
		r, ok := v.(pdfRef)
		if !ok {
			return v
		}
		v = f.objects[r.num]
	}
	return nil
}

func (f *pdfFile) dict(v any) pdfDict {
	switch d := f.resolve(v).(type) {
	case pdfDict:
		return d
	case pdfStream:
		return d.dict
	}
	return nil
}

// metaPayload is the first /Subject or /Keywords of an Info dictionary (trailers' and
// cross-reference streams') that is a roadcheck payload, or "".
func (f *pdfFile) metaPayload() string {
	var infos []pdfDict
	for i := len(f.trailers) - 1; i >= 0; i-- {
		if d := f.dict(f.trailers[i][pdfName("Info")]); d != nil {
			infos = append(infos, d)
		}
	}
	nums := make([]int, 0, len(f.objects))
	for n := range f.objects {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		if s, ok := f.objects[n].(pdfStream); ok && s.dict[pdfName("Type")] == pdfName("XRef") {
			if d := f.dict(s.dict[pdfName("Info")]); d != nil {
				infos = append(infos, d)
			}
		}
	}
	for _, info := range infos {
		for _, key := range []pdfName{"Subject", "Keywords"} {
			if s, ok := f.resolve(info[key]).(pdfString); ok {
				if t := strings.TrimSpace(pdfTextString(s)); hasPayloadPrefix(t) {
					return t
				}
			}
		}
	}
	return ""
}

// pdfTextString decodes a text string: UTF-16BE with a byte order mark, else PDFDocEncoding
// (read as Latin-1, which agrees with it on everything a payload can hold).
func pdfTextString(s []byte) string {
	if len(s) >= 2 && s[0] == 0xFE && s[1] == 0xFF {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}

// contentStreams are the page content streams: those of /Type /Page objects, or, when the
// file has none readable (pages inside object streams), every stream that is no font, image
// or other typed stream.
func (f *pdfFile) contentStreams() []pdfStream {
	nums := make([]int, 0, len(f.objects))
	for n := range f.objects {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var out []pdfStream
	for _, n := range nums {
		d, ok := f.objects[n].(pdfDict)
		if !ok || d[pdfName("Type")] != pdfName("Page") {
			continue
		}
		contents := f.resolve(d[pdfName("Contents")])
		refs, ok := contents.(pdfArray)
		if !ok {
			refs = pdfArray{d[pdfName("Contents")]}
		}
		for _, r := range refs {
			if s, ok := f.resolve(r).(pdfStream); ok {
				out = append(out, s)
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, n := range nums {
		s, ok := f.objects[n].(pdfStream)
		if !ok {
			continue
		}
		_, typed := s.dict[pdfName("Type")]
		_, sub := s.dict[pdfName("Subtype")]
		_, font := s.dict[pdfName("Length1")]
		if !typed && !sub && !font {
			out = append(out, s)
		}
	}
	return out
}

// inflate decodes a stream's data (no filter or FlateDecode) into at most budget bytes.
func inflate(s pdfStream, budget int) ([]byte, error) {
	filter := s.dict[pdfName("Filter")]
	if a, ok := filter.(pdfArray); ok && len(a) == 1 {
		filter = a[0]
	}
	switch filter {
	case nil:
		if len(s.raw) > budget {
			return nil, errPDFTooBig
		}
		return s.raw, nil
	case pdfName("FlateDecode"):
		if _, ok := s.dict[pdfName("DecodeParms")]; ok {
			return nil, errors.New("predictors in a content stream")
		}
		zr, err := zlib.NewReader(bytes.NewReader(s.raw))
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		out, err := io.ReadAll(io.LimitReader(zr, int64(budget)+1))
		if len(out) > budget {
			return nil, errPDFTooBig
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		return out, nil // a truncated stream still yields what it holds
	}
	return nil, fmt.Errorf("filter %v", filter)
}

var errPDFTooBig = fmt.Errorf("%w: PDF content streams inflate to more than %d bytes", ErrTooLarge, pdfMaxInflated)

// rect is a filled axis-aligned rectangle in default user space (points, y up).
type rect struct{ x, y, w, h float64 }

// matrix is a PDF transformation [a b c d e f].
type matrix [6]float64

func (m matrix) mul(n matrix) matrix { // m then n
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// darkRects interprets content streams and returns the rectangles filled in a dark colour
// (luminance below a quarter: the QR code's black, not the frame's red or the rules' grey).
func darkRects(ctx context.Context, content []byte, ops *int) ([]rect, error) {
	type gstate struct {
		ctm  matrix
		dark bool
	}
	gs := gstate{ctm: matrix{1, 0, 0, 1, 0, 0}, dark: true} // the initial fill colour is black
	var stack []gstate
	var operands []float64
	var path []rect
	pathOK := true
	var out []rect
	l := &pdfLexer{b: content}
	lum := func(r, g, b float64) bool { return 0.299*r+0.587*g+0.114*b < 0.25 }
	for {
		start := l.pos
		t, err := l.token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			if l.pos == start {
				l.pos++
			}
			operands = operands[:0]
			continue
		}
		if f, ok := t.(float64); ok {
			if len(operands) < pdfMaxStackOperands {
				operands = append(operands, f)
			}
			continue
		}
		kw, ok := t.(pdfKeyword)
		if !ok {
			continue // names and strings are operands of operators ignored here
		}
		if *ops++; *ops > pdfMaxOps {
			return nil, fmt.Errorf("%w: more than %d PDF operators", ErrTooLarge, pdfMaxOps)
		}
		if *ops&1023 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		o := operands
		operands = operands[:0]
		switch kw {
		case "q":
			if len(stack) < pdfMaxGStack {
				stack = append(stack, gs)
			}
		case "Q":
			if len(stack) > 0 {
				gs, stack = stack[len(stack)-1], stack[:len(stack)-1]
			}
		case "cm":
			if len(o) == 6 {
				gs.ctm = matrix{o[0], o[1], o[2], o[3], o[4], o[5]}.mul(gs.ctm)
			}
		case "g":
			if len(o) == 1 {
				gs.dark = o[0] < 0.25
			}
		case "rg":
			if len(o) == 3 {
				gs.dark = lum(o[0], o[1], o[2])
			}
		case "k":
			if len(o) == 4 {
				gs.dark = lum((1-o[0])*(1-o[3]), (1-o[1])*(1-o[3]), (1-o[2])*(1-o[3]))
			}
		case "sc", "scn":
			switch len(o) {
			case 1:
				gs.dark = o[0] < 0.25
			case 3:
				gs.dark = lum(o[0], o[1], o[2])
			default:
				gs.dark = false
			}
		case "re":
			if len(o) != 4 {
				pathOK = false
				break
			}
			m := gs.ctm
			if m[1] != 0 || m[2] != 0 || len(path) >= pdfMaxRects { // rotated or skewed: not a module of an upright grid
				pathOK = false
				break
			}
			x0, y0 := m[0]*o[0]+m[4], m[3]*o[1]+m[5]
			x1, y1 := m[0]*(o[0]+o[2])+m[4], m[3]*(o[1]+o[3])+m[5]
			path = append(path, rect{math.Min(x0, x1), math.Min(y0, y1), math.Abs(x1 - x0), math.Abs(y1 - y0)})
		case "m", "l", "c", "v", "y", "h":
			pathOK = false
		case "f", "F", "f*", "B", "B*", "b", "b*":
			if pathOK && gs.dark {
				if len(out)+len(path) > pdfMaxRects {
					return nil, fmt.Errorf("%w: more than %d filled rectangles", ErrTooLarge, pdfMaxRects)
				}
				out = append(out, path...)
			}
			path, pathOK = path[:0], true
		case "n", "S", "s", "W", "W*":
			if kw != "W" && kw != "W*" {
				path, pathOK = path[:0], true
			}
		case "BI":
			// An inline image: its data is binary up to "EI".
			i := bytes.Index(content[l.pos:], []byte("EI"))
			for i >= 0 {
				j := l.pos + i
				if j > 0 && isPDFSpace(content[j-1]) && (j+2 == len(content) || isPDFSpace(content[j+2])) {
					break
				}
				k := bytes.Index(content[j+2:], []byte("EI"))
				if k < 0 {
					i = -1
					break
				}
				i += 2 + k
			}
			if i < 0 {
				return out, nil
			}
			l.pos += i + 2
		}
	}
}

// pdfModulePx is the pixels per module of the QR image built from a PDF's modules.
const pdfModulePx = 4

// qrFromRects finds the QR symbol among the filled rectangles: the dark rectangles one module
// high (the most common height) and a whole number of modules wide, on one grid. It returns
// the symbol as an image with a quiet zone, or nil.
func qrFromRects(rs []rect) *gray {
	// The module: the most common height among rectangles whose width is a whole multiple
	// of it, counted in 1 % bins.
	counts := map[int]int{}
	for _, r := range rs {
		if r.h <= 0 || r.w <= 0 || r.h > 1e4 {
			continue
		}
		if k := r.w / r.h; k > 0.98 && math.Abs(k-math.Round(k)) < 0.05 {
			counts[int(math.Round(math.Log(r.h)*100))]++
		}
	}
	best, bestN := 0, 0
	for k, n := range counts {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	if bestN < 3*9 { // not even the three finder patterns
		return nil
	}
	// The mean height in that bin, then the rectangles of about that height.
	m, cnt := 0.0, 0
	for _, r := range rs {
		if r.h > 0 && int(math.Round(math.Log(r.h)*100)) == best {
			m += r.h
			cnt++
		}
	}
	m /= float64(cnt)
	var mods []rect
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rs {
		if math.Abs(r.h-m) > 0.03*m {
			continue
		}
		k := r.w / m
		if k < 0.95 || math.Abs(k-math.Round(k)) > 0.1 {
			continue
		}
		mods = append(mods, r)
		minX, minY = math.Min(minX, r.x), math.Min(minY, r.y)
		maxX, maxY = math.Max(maxX, r.x+r.w), math.Max(maxY, r.y+r.h)
	}
	// The finder patterns span the symbol, so the modules' bounding box is the symbol; the
	// module's width and height come from it (a page may scale x and y slightly apart).
	n := int(math.Round((maxX - minX) / m))
	if n < 21 || n > 177 || int(math.Round((maxY-minY)/m)) != n || (n-17)%4 != 0 {
		return nil
	}
	mx, my := (maxX-minX)/float64(n), (maxY-minY)/float64(n)
	side := (n + 8) * pdfModulePx
	g := &gray{w: side, h: side, pix: make([]byte, side*side)}
	for i := range g.pix {
		g.pix[i] = 0xFF
	}
	for _, r := range mods {
		col, row := (r.x-minX)/mx, (maxY-r.y-r.h)/my
		c0, r0 := int(math.Round(col)), int(math.Round(row))
		if math.Abs(col-float64(c0)) > 0.2 || math.Abs(row-float64(r0)) > 0.2 {
			continue // off the grid: not a module of this symbol
		}
		k := int(math.Round(r.w / mx))
		for y := (r0 + 4) * pdfModulePx; y < (r0+5)*pdfModulePx && y < side; y++ {
			for x := (c0 + 4) * pdfModulePx; x < (c0+4+k)*pdfModulePx && x < side; x++ {
				if x >= 0 && y >= 0 {
					g.pix[y*side+x] = 0
				}
			}
		}
	}
	return g
}

// readPDF reads a certificate PDF's metadata payload and QR symbol. A file with neither
// returns a pdfContent with both empty; only input limits and a spent ctx are errors.
func readPDF(ctx context.Context, b []byte) (pdfContent, error) {
	f, err := parsePDFObjects(ctx, b)
	if err != nil {
		return pdfContent{}, err
	}
	if len(f.objects) == 0 {
		return pdfContent{}, fmt.Errorf("%w: no PDF objects", ErrUnreadable)
	}
	out := pdfContent{meta: f.metaPayload()}
	budget, ops := pdfMaxInflated, 0
	var rects []rect
	for _, s := range f.contentStreams() {
		data, err := inflate(s, budget)
		if errors.Is(err, ErrTooLarge) {
			return pdfContent{}, err
		}
		if err != nil {
			continue // a stream we cannot read is not the page we wrote
		}
		budget -= len(data)
		rs, err := darkRects(ctx, data, &ops)
		if err != nil {
			return pdfContent{}, err
		}
		if len(rects)+len(rs) > pdfMaxRects {
			return pdfContent{}, fmt.Errorf("%w: more than %d filled rectangles", ErrTooLarge, pdfMaxRects)
		}
		rects = append(rects, rs...)
	}
	out.qr = qrFromRects(rects)
	return out, nil
}

// decodePDF is DecodeBytes for a PDF: the payload in its metadata, checked against the QR code
// on its page. Either alone is enough (the signature decides, as for a photo); both present
// and different is ErrPDFMismatch. Neither is ErrNoQR.
func decodePDF(ctx context.Context, data []byte) (text string, err error) {
	// The parser is fuzzed (FuzzReadPDF) and meant not to panic; should it, the file is
	// unreadable, not the process down.
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("%w: PDF reader: %v", ErrUnreadable, r)
		}
	}()
	pc, err := readPDF(ctx, data)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "", fmt.Errorf("%w: time budget spent reading the PDF", ErrNoQR)
		}
		return "", err
	}
	var qrText string
	if pc.qr != nil {
		qrText, err = scan(ctx, pc.qr)
		if err != nil && !errors.Is(err, ErrNoQR) {
			return "", err
		}
	}
	switch {
	case pc.meta != "" && qrText != "" && pc.meta != qrText:
		return "", ErrPDFMismatch
	case pc.meta != "":
		return pc.meta, nil
	case qrText != "":
		return qrText, nil
	}
	return "", fmt.Errorf("%w: the PDF has no payload in its metadata and no QR code drawn as modules", ErrNoQR)
}
