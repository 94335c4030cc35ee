package content

import (
	"strings"
	"testing"
)

func testTable(t *testing.T) *kindTable {
	t.Helper()
	k, err := parseKinds(kindsJSON)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func classifyTexts(k *kindTable, texts []string) decision {
	return k.classify(joinText(prepareLines(mkLines(texts...))))
}

func TestClassifyCleanDocuments(t *testing.T) {
	k := testTable(t)
	for name, texts := range docs {
		want := strings.TrimSuffix(name, "_back")
		if name == "vehicle_licence_back" {
			want = name
		}
		t.Run(name, func(t *testing.T) {
			d := classifyTexts(k, texts)
			if d.Kind != want {
				t.Fatalf("kind %q, want %q (scores %v)", d.Kind, want, d.Scores)
			}
			if d.Confidence < 0.9 {
				t.Errorf("confidence %.3f < 0.90 (best %.2f margin %.2f)", d.Confidence, d.Best, d.Margin)
			}
		})
	}
}

// OCR damage: one character wrong in every long label still decides, with the two titles that
// differ by one character (驾驶证/行驶证) kept apart by the labels.
func TestClassifyDamagedText(t *testing.T) {
	k := testTable(t)
	cases := []struct {
		name  string
		texts []string
		want  string
	}{
		{"driving main, title damaged", []string{"中华人民共和国机动车驶证", "准驾车型A2", "初次领证日朗2005-03-02", "姓名张伟"}, "driving_licence_main"},
		{"vehicle front, title damaged", []string{"中华人民共和国机动车行驶证", "车辆识别代码LFWSRXRJ5A1E00001", "发动机号吗12345", "号牌号码豫A12345"}, "vehicle_licence_front"},
		{"secondary without title", []string{"证号41010219800101123X", "档案编号410100123456", "驾驶证副页"}, "driving_licence_secondary"},
		{"labels split over lines", []string{"中华人民共和国道路运输", "从业人员从业资格证", "从业资格类别", "普通货运驾驶员"}, "qualification_info_page"},
		{"letter-spaced labels", []string{"姓 名 张伟", "公 民 身 份 号 码 41010219800101123X"}, "id_card"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := classifyTexts(k, c.texts)
			if d.Kind != c.want {
				t.Fatalf("kind %q, want %q (scores %v)", d.Kind, c.want, d.Scores)
			}
		})
	}
}

// A title alone (shared by two kinds but for one character) or a lone generic label is never a
// confident decision; text with no document keyword is no decision.
func TestClassifyWeakEvidenceIsNotConfident(t *testing.T) {
	k := testTable(t)
	cases := []struct {
		name  string
		texts []string
	}{
		{"title only", []string{"中华人民共和国机动车驾驶证"}},
		{"generic labels", []string{"姓名张伟", "性别男", "住址河南省郑州市"}},
		{"shop sign", []string{"郑州市金水区好运超市", "营业时间8:00-22:00"}},
		{"both titles", []string{"中华人民共和国机动车驾驶证", "中华人民共和国机动车行驶证"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := classifyTexts(k, c.texts)
			if d.Confidence >= 0.9 {
				t.Fatalf("kind %q confidence %.3f ≥ 0.90 on weak evidence (scores %v)", d.Kind, d.Confidence, d.Scores)
			}
		})
	}
	if d := classifyTexts(k, []string{"郑州市金水区好运超市", "营业时间8:00-22:00"}); d.Kind != "" {
		t.Errorf("shop sign classified %q", d.Kind)
	}
}

func TestFuzzyFind(t *testing.T) {
	cases := []struct {
		pat, text string
		want      int
	}{
		{"准驾车型", "准驾车型A2", 0},
		{"准驾车型", "xx准驾车形A2", 1},
		{"准驾车型", "准车型", 1},
		{"发动机号码", "完全无关", 5},
		{"ab", "", 2},
	}
	for _, c := range cases {
		if got := fuzzyFind([]rune(c.pat), []rune(c.text)); got != c.want {
			t.Errorf("fuzzyFind(%q, %q) = %d, want %d", c.pat, c.text, got, c.want)
		}
	}
}

func TestParseKindsRejectsBadTables(t *testing.T) {
	for _, bad := range []string{
		`{}`,
		`{"min_score":3,"score_scale":4,"margin_scale":2,"kinds":[{"kind":"a","signals":[{"text":"x"}]}]}`,
		`{"min_score":3,"score_scale":4,"margin_scale":2,"kinds":[{"kind":"a","signals":[{"pattern":"(","w":1}]}]}`,
		`{"min_score":3,"score_scale":4,"margin_scale":2,"kinds":[{"kind":"a","signals":[]},{"kind":"a","signals":[]}]}`,
	} {
		if _, err := parseKinds([]byte(bad)); err == nil {
			t.Errorf("parseKinds(%s) accepted", bad)
		}
	}
}
