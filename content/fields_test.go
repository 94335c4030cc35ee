package content

import (
	"image"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/content/ocr"
)

var testToday = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func TestValidIDNumber(t *testing.T) {
	cases := []struct {
		s    string
		want bool
	}{
		{"41010219800101123X", true},
		{"11010519491231002X", true},
		{"410102198001011234", false}, // check digit
		{"41010219801301123X", false}, // month 13 (check digit recomputed below would not save it)
		{"4101021980010112", false},
		{"41010220300101123X", false}, // born after today
	}
	for _, c := range cases {
		if got := validIDNumber(c.s, testToday); got != c.want {
			t.Errorf("validIDNumber(%s) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestExtractFields(t *testing.T) {
	cases := []struct {
		name  string
		kind  string
		texts []string
		want  map[string]string // field → value; "!" prefix: valid must be false
	}{
		{"id card", "id_card", docs["id_card"], map[string]string{"id_number": "41010219800101123X", "name": "张伟"}},
		{"id number repaired O→0 and x→X", "id_card", []string{"姓名李娜", "公民身份号码41O1O219800101123x"},
			map[string]string{"id_number": "41010219800101123X", "name": "李娜"}},
		{"id number I→1", "id_card", []string{"公民身份号码4I0102198001011 23X"}, map[string]string{"id_number": "41010219800101123X"}},
		{"invalid id number kept, marked invalid", "id_card", []string{"公民身份号码410102198001011234"},
			map[string]string{"id_number": "!410102198001011234"}},
		{"repair only when it validates", "id_card", []string{"公民身份号码41010219800101123O"},
			map[string]string{"id_number": "!410102198001011230"}},
		{"name on the next line", "driving_licence_main", []string{"中华人民共和国机动车驾驶证", "姓名", "欧阳娜娜", "性别女"},
			map[string]string{"name": "欧阳娜娜"}},
		{"name ends at the next label", "id_card", []string{"姓名张伟性别男民族汉族"}, map[string]string{"name": "张伟"}},
		{"watermark through the name", "driving_licence_secondary", []string{"姓名复印无效侯庆艳"}, map[string]string{"name": "侯庆艳"}},
		{"watermark is no name", "driving_licence_secondary", []string{"姓名", "复印", "记录"}, map[string]string{}},
		{"plate ] read for J", "vehicle_licence_front", []string{"号牌号码豫D87]45"}, map[string]string{"plate": "豫D87J45"}},
		{"name too long is no name", "id_card", []string{"姓名张伟张伟张伟"}, map[string]string{}},
		{"driving licence", "driving_licence_main", docs["driving_licence_main"],
			map[string]string{"id_number": "41010219800101123X", "name": "张伟", "certificate_number": "41010219800101123X"}},
		{"driving secondary", "driving_licence_secondary", docs["driving_licence_secondary"],
			map[string]string{"id_number": "41010219800101123X", "name": "张伟", "certificate_number": "41010219800101123X", "archive_number": "410100123456"}},
		{"vehicle licence", "vehicle_licence_front", docs["vehicle_licence_front"],
			map[string]string{"plate": "豫A12345", "archive_number": "410100654321"}},
		{"plate with separator", "vehicle_licence_front", []string{"号牌号码豫A·1234S"}, map[string]string{"plate": "豫A1234S"}},
		{"plate O→0", "transport_cert", []string{"车辆号牌豫AO1234"}, map[string]string{"plate": "豫A01234"}},
		{"new energy plate", "vehicle_licence_front", []string{"号牌号码豫AD12345"}, map[string]string{"plate": "豫AD12345"}},
		{"transport cert", "transport_cert", docs["transport_cert"],
			map[string]string{"plate": "豫A12345", "certificate_number": "豫交运管许可郑字410100123456号"}},
		{"transport cert 12 digits", "transport_cert", []string{"道路运输证号", "410100123456"}, map[string]string{"certificate_number": "410100123456"}},
		{"qualification", "qualification_info_page", docs["qualification_info_page"],
			map[string]string{"id_number": "41010219800101123X", "name": "张伟", "certificate_number": "41010219800101123X"}},
		{"study record", "study_record", docs["study_record"],
			map[string]string{"id_number": "41010219800101123X", "name": "张伟", "certificate_number": "41010219800101123X"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := testTable(t).extractFields(c.kind, prepareLines(mkLines(c.texts...)), testToday)
			for k, v := range c.want {
				invalid := v != "" && v[0] == '!'
				if invalid {
					v = v[1:]
				}
				f, ok := got[k]
				if !ok {
					t.Errorf("%s not read (got %v)", k, got)
					continue
				}
				if f.Value != v {
					t.Errorf("%s = %q, want %q", k, f.Value, v)
				}
				if f.Confidence != 0.97 {
					t.Errorf("%s confidence %.3f, want the line score 0.97", k, f.Confidence)
				}
				if (k == FieldIDNumber || k == FieldPlate) && (f.Valid == nil || *f.Valid == invalid) {
					t.Errorf("%s valid = %v, want %v", k, f.Valid, !invalid)
				}
			}
			for k := range got {
				if _, ok := c.want[k]; !ok {
					t.Errorf("unexpected field %s = %q", k, got[k].Value)
				}
			}
		})
	}
}

// A label's value in the box to its right on the same row (cards print label and value apart).
func TestLabelValueSameRow(t *testing.T) {
	lines := []ocr.Line{
		{Text: "姓名", Score: 0.99, Box: [4]image.Point{{10, 10}, {60, 10}, {60, 40}, {10, 40}}},
		{Text: "性别", Score: 0.99, Box: [4]image.Point{{10, 60}, {60, 60}, {60, 90}, {10, 90}}},
		{Text: "王小明", Score: 0.91, Box: [4]image.Point{{90, 12}, {180, 12}, {180, 42}, {90, 42}}},
	}
	f, ok := findName(prepareLines(lines))
	if !ok || f.Value != "王小明" || f.Confidence != 0.91 {
		t.Fatalf("name %+v %v, want 王小明 at 0.91", f, ok)
	}
	// A watermark fragment between label and value (0093 of the docgen seed-2 set).
	lines = append(lines, ocr.Line{Text: "复印", Score: 0.9, Box: [4]image.Point{{55, 20}, {85, 20}, {85, 50}, {55, 50}}})
	if f, ok = findName(prepareLines(lines)); !ok || f.Value != "王小明" {
		t.Fatalf("name %+v %v, want 王小明 at 0.91", f, ok)
	}
}

// A photographed page is skewed: the value box of a label sits lower (or higher) along the
// page's slope, and its box is taller than the label's (boxes from 0028 of the docgen set).
func TestLabelValueAlongSkew(t *testing.T) {
	quad := func(x0, y0, x1, y1, h int) [4]image.Point {
		return [4]image.Point{{x0, y0}, {x1, y1}, {x1, y1 + h}, {x0, y0 + h}}
	}
	lines := []ocr.Line{
		{Text: "中华人民共和国机动车驾驶证副页", Score: 0.99, Box: quad(379, 207, 1175, 277, 49)},
		{Text: "证号", Score: 0.99, Box: quad(261, 288, 341, 295, 41)},
		{Text: "410305197812118677", Score: 0.98, Box: quad(433, 305, 897, 345, 37)},
		{Text: "档案号410344384048", Score: 0.96, Box: quad(258, 357, 741, 399, 41)},
		{Text: "姓名", Score: 0.99, Box: quad(247, 422, 332, 429, 48)},
		{Text: "王东涛", Score: 0.99, Box: quad(419, 437, 554, 449, 47)},
	}
	got := testTable(t).extractFields("driving_licence_secondary", prepareLines(lines), testToday)
	for k, want := range map[string]string{FieldCertificateNumber: "410305197812118677", FieldName: "王东涛", FieldArchiveNumber: "410344384048"} {
		if got[k].Value != want {
			t.Errorf("%s = %q, want %q", k, got[k].Value, want)
		}
	}
}
