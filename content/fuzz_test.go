package content

import (
	"image"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/roadcheck/roadcheck/content/ocr"
)

// FuzzReadText feeds the classifier and the field readers arbitrary OCR output (what a hostile
// image can make the engine print): they must not panic, and what they report must respect the
// input contract of content (values of at most 64 characters, confidences in 0..1) and their own
// validation (a valid ID number or plate is one).
func FuzzReadText(f *testing.F) {
	f.Add("中华人民共和国机动车驾驶证\n证号41010219800101123X\n姓名张伟\n准驾车型A2", uint8(0))
	f.Add("号牌号码豫A·1234S\n档案编号410100654321\n中华人民共和国机动车行驶证", uint8(7))
	f.Add("道路运输证\n业户名称郑州某物流有限公司\n证号豫交运管许可郑字410100123456号", uint8(200))
	f.Add(strings.Repeat("公民身份号码", 40)+"\n"+strings.Repeat("1", 300), uint8(90))
	table, err := parseKinds(kindsJSON)
	if err != nil {
		f.Fatal(err)
	}
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string, tilt uint8) {
		var in []ocr.Line
		for i, s := range strings.SplitN(text, "\n", 64) {
			// Boxes in rows, tilted by up to ±12°, with the score from the tilt byte.
			a := (float64(tilt%25) - 12) * math.Pi / 180
			w := float64(20 * (utf8.RuneCountInString(s) + 1))
			x0, y0 := 10.0, 30.0*float64(i+1)
			dx, dy := w*math.Cos(a), w*math.Sin(a)
			box := [4]image.Point{
				{int(x0), int(y0)}, {int(x0 + dx), int(y0 + dy)},
				{int(x0 + dx - 24*math.Sin(a)), int(y0 + dy + 24*math.Cos(a))}, {int(x0 - 24*math.Sin(a)), int(y0 + 24*math.Cos(a))},
			}
			in = append(in, ocr.Line{Text: s, Score: float64(tilt) / 255, Box: box, Angle: int(tilt%4) * 90})
		}
		lines := prepareLines(in)
		d := table.classify(joinText(lines))
		if d.Confidence < 0 || d.Confidence > 1 || math.IsNaN(d.Confidence) {
			t.Fatalf("kind %q confidence %v", d.Kind, d.Confidence)
		}
		for name, fl := range table.extractFields(d.Kind, lines, today) {
			if !utf8.ValidString(fl.Value) || utf8.RuneCountInString(fl.Value) > 64 || fl.Value == "" {
				t.Fatalf("%s = %q: not a bounded value", name, fl.Value)
			}
			if fl.Confidence < 0 || fl.Confidence > 1 || math.IsNaN(fl.Confidence) {
				t.Fatalf("%s confidence %v", name, fl.Confidence)
			}
			if fl.Valid != nil && *fl.Valid {
				switch name {
				case FieldIDNumber:
					if !validIDNumber(fl.Value, today) {
						t.Fatalf("id_number %q reported valid", fl.Value)
					}
				case FieldPlate:
					if !validPlate(fl.Value) {
						t.Fatalf("plate %q reported valid", fl.Value)
					}
				}
			}
		}
	})
}
