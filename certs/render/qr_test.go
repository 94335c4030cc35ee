package render

import (
	"bytes"
	"crypto/ed25519"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/certs/cose"
)

// randomPayloads returns count payloads of n characters from the payload alphabet, from a
// fixed seed. Their symbols are what issued ones look like: Base45 text is close to random.
func randomPayloads(seed uint64, n, count int) []string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]string, count)
	for i := range out {
		var b strings.Builder
		b.WriteString(certs.PayloadPrefix)
		for range n - len(certs.PayloadPrefix) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		out[i] = b.String()
	}
	return out
}

// rawSymbol is go-qrcode's symbol for p, before EncodeQR's choice of mask.
func rawSymbol(t *testing.T, p string) *QR {
	t.Helper()
	q, err := goQRSymbol(p)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// stockReads reports whether gozxing's stock reader reads q, drawn at 8 px per module, as p.
func stockReads(t *testing.T, q *QR, p string) bool {
	t.Helper()
	text, err := stockRead(q.Image(8))
	return err == nil && text == p
}

// Re-masked symbols are exact: under each of the eight masks, gozxing's own parser (its own
// map of function modules) reads the same codewords as from go-qrcode's symbol, and the
// decoder reads the payload.
func TestRemask(t *testing.T) {
	for _, tc := range []struct{ length, version int }{
		{20, 1}, {30, 2}, // one alignment pattern or none
		{120, 5},
		{170, 7}, {200, 8}, // version information
		{240, 9}, {300, 10}, // three alignment centres a side
	} {
		for _, p := range randomPayloads(uint64(tc.length), tc.length, 3) {
			q := rawSymbol(t, p)
			if q.Version != tc.version {
				t.Fatalf("%d characters need version %d, want %d", tc.length, q.Version, tc.version)
			}
			from, ok := maskOf(q)
			if !ok {
				t.Fatalf("v%d: go-qrcode's format information does not read as level M", q.Version)
			}
			want := codewords(t, q)
			for m := range 8 {
				s := remask(q, from, m)
				if got, ok := maskOf(s); !ok || got != m {
					t.Fatalf("v%d: remasked to %d, format information says %d (%v)", q.Version, m, got, ok)
				}
				if got := codewords(t, s); !bytes.Equal(got, want) {
					t.Fatalf("v%d mask %d: codewords differ from go-qrcode's", q.Version, m)
				}
				res, err := decoder.NewDecoder().Decode(bitMatrix(t, s), nil)
				if err != nil || res.GetText() != p {
					t.Fatalf("v%d mask %d: %v", q.Version, m, err)
				}
				if back := remask(s, m, from); !equalModules(back, q) {
					t.Fatalf("v%d: mask %d and back does not restore the symbol", q.Version, m)
				}
			}
		}
	}
}

func bitMatrix(t *testing.T, q *QR) *gozxing.BitMatrix {
	t.Helper()
	bits, err := gozxing.NewSquareBitMatrix(len(q.Modules))
	if err != nil {
		t.Fatal(err)
	}
	for y, row := range q.Modules {
		for x, dark := range row {
			if dark {
				bits.Set(x, y)
			}
		}
	}
	return bits
}

// codewords are the data and error correction codewords gozxing's parser reads from q.
func codewords(t *testing.T, q *QR) []byte {
	t.Helper()
	p, err := decoder.NewBitMatrixParser(bitMatrix(t, q))
	if err != nil {
		t.Fatal(err)
	}
	cw, err := p.ReadCodewords()
	if err != nil {
		t.Fatal(err)
	}
	return cw
}

func equalModules(a, b *QR) bool {
	for y := range a.Modules {
		for x := range a.Modules[y] {
			if a.Modules[y][x] != b.Modules[y][x] {
				return false
			}
		}
	}
	return len(a.Modules) == len(b.Modules)
}

// A symbol whose data holds a finder look-alike under go-qrcode's mask gets another mask, in
// the same version, with no look-alike, which the stock reader reads; a clean one is
// go-qrcode's, module for module.
func TestEncodeQRAvoidsFinderLookalikes(t *testing.T) {
	for _, n := range []int{240, 300} { // versions 9 and 10
		var lookalikes, stockFailed int
		for _, p := range randomPayloads(uint64(n), n, 400) {
			raw := rawSymbol(t, p)
			q, err := EncodeQR(p)
			if err != nil {
				t.Fatal(err)
			}
			if q.Version != raw.Version {
				t.Fatalf("version %d became %d", raw.Version, q.Version)
			}
			if finderLookalikes(raw) == 0 {
				if !equalModules(q, raw) {
					t.Fatalf("v%d: clean symbol re-masked", q.Version)
				}
				continue
			}
			lookalikes++
			if !stockReads(t, raw, p) {
				stockFailed++
			}
			if finderLookalikes(q) > 0 {
				t.Fatalf("v%d symbol still has a finder look-alike", q.Version)
			}
			if !stockReads(t, q, p) {
				t.Fatalf("re-masked v%d symbol does not read back", q.Version)
			}
		}
		t.Logf("%d characters: %d of 400 symbols had a finder look-alike; the stock reader failed on %d of those", n, lookalikes, stockFailed)
		// The seeded set must hold the case, or the test proves nothing.
		if lookalikes == 0 || stockFailed == 0 {
			t.Fatal("no symbol in the seeded set has a look-alike that defeats the stock reader")
		}
	}
}

func TestPenalty(t *testing.T) {
	const n = 21
	symbol := func(dark func(x, y int) bool) *QR {
		q := &QR{Version: 1, Modules: make([][]bool, n)}
		for y := range q.Modules {
			q.Modules[y] = make([]bool, n)
			for x := range q.Modules[y] {
				q.Modules[y][x] = dark(x, y)
			}
		}
		return q
	}
	for _, tc := range []struct {
		name string
		dark func(x, y int) bool
		want int
	}{
		// 42 runs of 21 (3 + 16 each), 400 2×2 blocks (3 each), 50 % off balance (10 per 5 %).
		{"light", func(x, y int) bool { return false }, 42*19 + 400*3 + 100},
		{"dark", func(x, y int) bool { return true }, 42*19 + 400*3 + 100},
		{"checkerboard", func(x, y int) bool { return (x+y)%2 == 0 }, 0},
		// On a checkerboard, row 10 starts 1011101 0000 and goes on light at column 11: one
		// finder-like run beside light modules (40) and a light run of 5 (3). The changed
		// columns make vertical runs of 3 only, rows 9 and 11 have no equal neighbours (no
		// 2×2 block), and the dark share stays at 49.9 %.
		{"finder-like row", func(x, y int) bool {
			if y == 10 && x < 11 {
				return []bool{true, false, true, true, true, false, true, false, false, false, false}[x]
			}
			return (x+y)%2 == 0
		}, 43},
	} {
		got := penalty(symbol(tc.dark))
		if got != tc.want {
			t.Errorf("%s: penalty %d, want %d", tc.name, got, tc.want)
		}
	}
}

// longestClaims fills every field of a type to the longest value certs.Claims.Validate allows.
func longestClaims(t certs.CertType) certs.Claims {
	const maxClaimTime = 1<<32 - 1
	c := certs.Claims{
		Version: certs.ClaimsVersion, Issuer: strings.Repeat("Z", certs.MaxIssuerLen), ID: strings.Repeat("z", certs.MaxIDLen),
		IssuedAt: maxClaimTime - 1, ExpiresAt: maxClaimTime, Type: t,
		Subject: strings.Repeat("𠀀", certs.MaxSubjectLen/4), // 4-byte runes: the most bytes per character
	}
	switch t {
	case certs.CertIntegrityAssessment:
		c.IDTail, c.Grade, c.PeriodStart, c.PeriodEnd = "002X", "AAA", 21991230, 21991231
		c.QualNo = "Q41" + strings.Repeat("*", certs.MaxQualNoLen-7) + "0001"
	case certs.CertAnnualReview:
		c.Plate = strings.Repeat("豫", certs.MaxPlateLen/3) + strings.Repeat("A", certs.MaxPlateLen%3)
		c.PlateColour, c.Result, c.ReviewDate = certs.PlateYellowGreen, certs.ResultPass, 21991231
	}
	return c
}

// TestLongestPayloadFitsQR fails when the claim limits allow a payload over design.md's budget:
// ≤ 200 signed bytes and QR version ≤ 10 at level M (311 alphanumeric characters).
func TestLongestPayloadFitsQR(t *testing.T) {
	signer := cose.Ed25519Signer{Key: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))}
	for _, typ := range []certs.CertType{certs.CertIntegrityAssessment, certs.CertAnnualReview} {
		c := longestClaims(typ)
		if err := c.Validate(); err != nil {
			t.Fatalf("longestClaims is not valid: %v", err)
		}
		if len(c.Subject) != certs.MaxSubjectLen || (typ == certs.CertAnnualReview && len(c.Plate) != certs.MaxPlateLen) {
			t.Fatal("longestClaims is not at the limits")
		}
		payload, err := certs.SignClaims(signer, c)
		if err != nil {
			t.Fatal(err)
		}
		qr, err := EncodeQR(payload)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: payload %d characters, QR version %d", typ, len(payload), qr.Version)
		bmp, _ := gozxing.NewBinaryBitmapFromImage(qr.Image(4))
		res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
		if err != nil || res.GetText() != payload {
			t.Fatalf("QR does not decode back: %v", err)
		}
	}
	// The budget itself: the largest message still fits version 10.
	if _, err := EncodeQR(certs.PayloadPrefix + strings.Repeat("A", certs.Base45EncodedLen(certs.MaxSignedBytes))); err != nil {
		t.Fatal(err)
	}
	if _, err := EncodeQR(certs.PayloadPrefix + strings.Repeat("A", 308)); err == nil {
		t.Fatal("EncodeQR accepted a payload that needs version 11")
	}
}
