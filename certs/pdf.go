package certs

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// pdfInfo is the document information dictionary. Payload goes into /Subject, /Keywords and a
// custom /RoadcheckPayload, so a verifier can read it from the file without decoding the image.
type pdfInfo struct {
	Title, Subject, Keywords, Payload, Author string
	Created                                   time.Time
}

type pngImage struct {
	width, height int
	colorType     byte
	palette       []byte
	idat          []byte // the zlib stream, all IDAT chunks joined
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// parsePNG extracts what the PDF image needs from an 8-bit, non-interlaced PNG (what image/png
// writes).
func parsePNG(b []byte) (*pngImage, error) {
	if !bytes.HasPrefix(b, pngSignature) {
		return nil, errors.New("not a PNG")
	}
	p := &pngImage{}
	var idat bytes.Buffer
	for b = b[len(pngSignature):]; len(b) >= 12; {
		n := int(binary.BigEndian.Uint32(b))
		if n > len(b)-12 {
			return nil, errors.New("truncated PNG chunk")
		}
		typ, data := string(b[4:8]), b[8:8+n]
		switch typ {
		case "IHDR":
			if n != 13 {
				return nil, errors.New("bad IHDR")
			}
			p.width, p.height = int(binary.BigEndian.Uint32(data)), int(binary.BigEndian.Uint32(data[4:]))
			if data[8] != 8 || data[12] != 0 {
				return nil, errors.New("PNG must be 8-bit and not interlaced")
			}
			p.colorType = data[9]
		case "PLTE":
			p.palette = data
		case "IDAT":
			idat.Write(data)
		}
		b = b[12+n:]
	}
	p.idat = idat.Bytes()
	return p, nil
}

// pngToPDF writes a one-page A5 PDF 1.4 whose page is the PNG image. The PNG's zlib stream is
// embedded unchanged: /FlateDecode with /Predictor 15 is exactly PNG's per-row filtering, so the
// pixels are neither recompressed nor resampled (QR modules stay whole pixels).
func pngToPDF(pngBytes []byte, info pdfInfo) ([]byte, error) {
	im, err := parsePNG(pngBytes)
	if err != nil {
		return nil, fmt.Errorf("certs: PDF: %v", err)
	}
	var colorSpace string
	colors := 1
	switch im.colorType {
	case 0:
		colorSpace = "/DeviceGray"
	case 2:
		colorSpace, colors = "/DeviceRGB", 3
	case 3:
		if len(im.palette) == 0 || len(im.palette)%3 != 0 {
			return nil, errors.New("certs: PDF: PNG without palette")
		}
		colorSpace = fmt.Sprintf("[/Indexed /DeviceRGB %d <%s>]", len(im.palette)/3-1, hex.EncodeToString(im.palette))
	default:
		return nil, fmt.Errorf("certs: PDF: PNG colour type %d (with alpha) not supported", im.colorType)
	}
	w, h := pt(pageMMW), pt(pageMMH)

	var buf bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s", len(offsets), body)
		if stream != nil {
			buf.WriteString("\nstream\n")
			buf.Write(stream)
			buf.WriteString("\nendstream")
		}
		buf.WriteString("\nendobj\n")
	}
	buf.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n") // the binary comment marks the file as binary for transfer tools
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 4 0 R >> /ProcSet [/PDF /ImageC /ImageI] >> /Contents 5 0 R >>", w, h), nil)
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors %d /BitsPerComponent 8 /Columns %d >> /Length %d >>",
		im.width, im.height, colorSpace, colors, im.width, len(im.idat)), im.idat)
	content := fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q", w, h)
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	created := info.Created
	if created.IsZero() {
		created = time.Now()
	}
	created = created.In(chinaTZ)
	obj(fmt.Sprintf("<< /Title %s /Author %s /Subject %s /Keywords %s /RoadcheckPayload %s /Creator (roadcheck) /Producer (roadcheck certs) /CreationDate (D:%s+08'00') >>",
		pdfText(info.Title), pdfText(info.Author), pdfText(info.Subject), pdfText(info.Keywords), pdfText(info.Payload), created.Format("20060102150405")), nil)

	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	id := sha256.Sum256(buf.Bytes())
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(offsets)+1, len(offsets), id[:16], id[:16], xref)
	return buf.Bytes(), nil
}

// pt converts millimetres to PDF points.
func pt(mm float64) string { return fmt.Sprintf("%.2f", mm/25.4*72) }

// pdfText is a PDF text string: a literal for ASCII, UTF-16BE with BOM (hex) otherwise, as
// PDF 1.4 §3.8.1 requires for text outside PDFDocEncoding.
func pdfText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(u))
	b[0], b[1] = 0xFE, 0xFF
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return "<" + strings.ToUpper(hex.EncodeToString(b)) + ">"
}
