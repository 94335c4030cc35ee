package verify

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
)

// certPDF is the fixture's certificate as certs/render renders it.
func certPDF(tb testing.TB, f *fixture) []byte {
	tb.Helper()
	b, err := testRenderer.PDF(f.cert, f.payload)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// editSubject rewrites the payload in the PDF's /Subject (UTF-16BE hex, as gopdf writes it)
// with edit applied, leaving the page alone.
func editSubject(t *testing.T, pdf []byte, payload string, edit func(string) string) []byte {
	t.Helper()
	enc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "%04X", r)
		}
		return b.String()
	}
	old := "/Subject <FEFF" + enc(payload) + ">"
	if !bytes.Contains(pdf, []byte(old)) {
		t.Fatalf("no %s in the PDF", old[:30])
	}
	return bytes.Replace(pdf, []byte(old), []byte("/Subject <FEFF"+enc(edit(payload))+">"), 1)
}

// flip changes the character at i to another of the payload alphabet.
func flip(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func TestVerifyPDF(t *testing.T) {
	f := getFixture(t)
	d := NewDecoder(Limits{})
	pdf := certPDF(t, f)

	// The page's QR code alone: the metadata key renamed, so only the modules carry it.
	noMeta := bytes.Replace(pdf, []byte("/Subject <FEFF"), []byte("/Sxbject <FEFF"), 1)
	// The metadata alone: every module square painted white instead of black.
	noQR := withoutModules(t, pdf)

	// A payload whose signature is damaged, in metadata and QR code alike (certs renders any
	// payload that parses): the signature decides.
	forged := []byte(f.payload)
	forged[len(forged)-3] = map[bool]byte{true: 'B', false: 'A'}[forged[len(forged)-3] == 'A']
	forgedPDF, err := testRenderer.PDF(f.cert, string(forged))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		data   []byte
		status string
	}{
		{"issued PDF", pdf, certs.StatusValid},
		{"metadata edited", editSubject(t, pdf, f.payload, func(p string) string { return flip(p, 20) }), certs.StatusMalformed},
		{"metadata replaced by garbage", editSubject(t, pdf, f.payload, func(string) string { return "RC1:GARBAGE" }), certs.StatusMalformed},
		{"QR code only", noMeta, certs.StatusValid},
		{"metadata only", noQR, certs.StatusValid},
		{"forged signature in both", forgedPDF, certs.StatusInvalidSignature},
		{"PDF without a certificate", []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), certs.StatusNoQRFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := verifyBytes(t, d, f, tt.data, nil)
			if res.Status != tt.status {
				t.Fatalf("status %s (%s), want %s", res.Status, res.Detail, tt.status)
			}
		})
	}
	if text, err := d.Decode(context.Background(), bytes.NewReader(editSubject(t, pdf, f.payload, func(p string) string { return flip(p, 20) }))); !errors.Is(err, ErrPDFMismatch) {
		t.Errorf("Decode of an edited PDF = %q, %v; want ErrPDFMismatch", text, err)
	}
	// The QR code read from the modules is the payload itself, not just something that agrees.
	pc, err := readPDF(context.Background(), pdf)
	if err != nil || pc.qr == nil {
		t.Fatalf("readPDF: %v, qr %v", err, pc.qr != nil)
	}
	if text, err := scan(context.Background(), pc.qr); err != nil || text != f.payload {
		t.Fatalf("modules decode to %q, %v", text, err)
	}
	if pc.meta != f.payload {
		t.Fatalf("metadata %q", pc.meta)
	}
}

// withoutModules paints the QR code's squares white: gopdf writes "0.000 0.000 0.000 rg" before
// them, the only black fill on the page.
func withoutModules(t *testing.T, pdf []byte) []byte {
	t.Helper()
	f, err := parsePDFObjects(context.Background(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	streams := f.contentStreams()
	if len(streams) != 1 {
		t.Fatalf("%d content streams", len(streams))
	}
	content, err := inflate(streams[0], pdfMaxInflated)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(content, []byte("0.000 0.000 0.000 rg")) {
		t.Fatal("no black fill in the content stream")
	}
	white := bytes.ReplaceAll(content, []byte("0.000 0.000 0.000 rg"), []byte("1.000 1.000 1.000 rg"))
	// Replace the compressed stream by the uncompressed one; the parser finds its end by the
	// endstream keyword when /Length is wrong.
	raw := streams[0].raw
	i := bytes.Index(pdf, raw)
	// The stream's own dictionary is the last filter named before its data: drop that one, so
	// the white content is read as it is.
	at := bytes.LastIndex(pdf[:i], []byte("/Filter /FlateDecode"))
	if at < 0 {
		t.Fatal("no filter before the content stream")
	}
	out := append([]byte{}, pdf[:at]...)
	out = append(out, pdf[at+len("/Filter /FlateDecode"):i]...)
	out = append(out, white...)
	out = append(out, pdf[i+len(raw):]...)
	return out
}

// TestPDFRasterised: poppler draws the page, and the photo pipeline reads the QR code from
// the bitmap (what a phone photographing the screen sees).
func TestPDFRasterised(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) not installed")
	}
	f := getFixture(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "c.pdf")
	if err := os.WriteFile(file, certPDF(t, f), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dpi := range []string{"100", "150", "300"} {
		out := filepath.Join(dir, "p"+dpi)
		if b, err := exec.Command("pdftoppm", "-png", "-r", dpi, "-singlefile", file, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
		img, err := os.ReadFile(out + ".png")
		if err != nil {
			t.Fatal(err)
		}
		text, err := NewDecoder(Limits{}).Decode(context.Background(), bytes.NewReader(img))
		if err != nil || text != f.payload {
			t.Fatalf("%s dpi: decoded %q, %v", dpi, text, err)
		}
	}
}

// TestPDFLimits: hostile PDFs are refused within bounds, never by a panic or a long wait.
func TestPDFLimits(t *testing.T) {
	d := NewDecoder(Limits{})
	pdf := certPDF(t, getFixture(t))
	bomb := func() []byte { // a content stream of zeros that inflates past pdfMaxInflated
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(make([]byte, pdfMaxInflated+1))
		zw.Close()
		return fmt.Appendf(nil, "%%PDF-1.4\n1 0 obj\n<< /Type /Page /Contents 2 0 R >>\nendobj\n2 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n", z.Len(), z.Bytes())
	}
	manyRects := func() []byte {
		var b bytes.Buffer
		for i := 0; i <= pdfMaxRects; i++ {
			fmt.Fprintf(&b, "%d 0 1 1 re f\n", i)
		}
		return fmt.Appendf(nil, "%%PDF-1.4\n1 0 obj\n<< /Type /Page /Contents 2 0 R >>\nendobj\n2 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", b.Len(), b.Bytes())
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"inflation bomb", bomb(), ErrTooLarge},
		{"too many rectangles", manyRects(), ErrTooLarge},
		{"deep nesting", append([]byte("%PDF-1.4\n1 0 obj\n"), bytes.Repeat([]byte("["), 1<<20)...), ErrUnreadable},
		{"header only", []byte("%PDF-1.7\n"), ErrUnreadable},
		{"streams without an end", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("1 0 obj<<>>stream\n"), 500_000)...), ErrUnreadable},
		{"paths never filled", fmt.Appendf(nil, "%%PDF-1.4\n1 0 obj\n<< /Type /Page /Contents 2 0 R >>\nendobj\n2 0 obj\n<< >>\nstream\n%sendstream\nendobj\n", bytes.Repeat([]byte("0 0 1 1 re "), 700_000)), ErrNoQR},
		{"truncated to a tenth", pdf[:len(pdf)/10], ErrNoQR},
		{"over the byte limit", append(pdf, make([]byte, DefaultMaxBytes)...), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			text, err := d.DecodeBytes(context.Background(), tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("DecodeBytes = %q, %v; want %v", text, err, tt.want)
			}
			if el := time.Since(start); el > DefaultTimeout+time.Second {
				t.Fatalf("took %v", el)
			}
		})
	}
}

// FuzzReadPDF: the PDF reader never panics, never runs on past its budget (a watchdog panics
// after 5 s), and stays within its bounds, on any input. The seed is a 66 KB certificate, so
// give the minimiser a short leash (its default minute per new input stalls the run):
// go test -run '^$' -fuzz FuzzReadPDF -fuzzminimizetime 2s ./verify/ (about 4,000 execs/s
// on 2 cores).
func FuzzReadPDF(f *testing.F) {
	fx := getFixture(f)
	pdf := certPDF(f, fx)
	f.Add(pdf)
	f.Add(pdf[:len(pdf)/2])
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Page /Contents 2 0 R >>\nendobj\n2 0 obj\n<< /Length 20 >>\nstream\nq 1 0 0 1 5 5 cm 0 0 4 4 re f Q BI /W 1 ID \x00 EI\nendstream\nendobj\ntrailer << /Info << /Subject (RC1:\\101\\(x) >> >>"))
	f.Add([]byte("%PDF-1.4\n<</A[<</B<0A1>>>]>> 1 0 R 2 0 obj (((\\"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic("readPDF still running after 5 s")
			}
		}()
		pc, err := readPDF(ctx, b)
		if err != nil {
			return
		}
		if pc.qr != nil && (pc.qr.w > (177+8)*pdfModulePx || len(pc.qr.pix) != pc.qr.w*pc.qr.h) {
			t.Fatalf("QR image %dx%d", pc.qr.w, pc.qr.h)
		}
	})
}

// BenchmarkDecodePDF is reading a certificate PDF: metadata, content stream, QR modules and
// their decode.
func BenchmarkDecodePDF(b *testing.B) {
	pdf := certPDF(b, getFixture(b))
	d := NewDecoder(Limits{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.DecodeBytes(context.Background(), pdf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPDF is the parse alone (no QR decode).
func BenchmarkReadPDF(b *testing.B) {
	pdf := certPDF(b, getFixture(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readPDF(context.Background(), pdf); err != nil {
			b.Fatal(err)
		}
	}
}
