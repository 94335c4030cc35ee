package content

import (
	"encoding/json"
	"strings"
	"testing"
)

// editKinds is kinds.json with edit applied to its decoded form.
func editKinds(t *testing.T, edit func(table map[string]any)) []byte {
	t.Helper()
	var table map[string]any
	if err := json.Unmarshal(kindsJSON, &table); err != nil {
		t.Fatal(err)
	}
	edit(table)
	b, err := json.Marshal(table)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A new document kind is a kinds.json edit: its signature classifies it and its "fields" are
// what is read from it, besides the id_number every image gets.
func TestNewKindIsADataEdit(t *testing.T) {
	b := editKinds(t, func(table map[string]any) {
		table["kinds"] = append(table["kinds"].([]any), map[string]any{
			"kind": "taxi_permit",
			"fields": map[string]any{
				"name":               map[string]any{"labels": []string{"持证人"}, "value": "name"},
				"certificate_number": map[string]any{"labels": []string{"许可证号"}, "value": "certificate"},
				"plate":              map[string]any{"find": "plate"},
			},
			"signals": []any{
				map[string]any{"text": "网络预约出租汽车运输证", "w": 5},
				map[string]any{"text": "许可证号", "w": 2},
			},
		})
	})
	table, err := parseKinds(b)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"网络预约出租汽车运输证", "持证人王小明", "许可证号ABC12345678", "车辆号牌豫A12345", "公民身份号码41010219800101123X"}
	d := classifyTexts(table, texts)
	if d.Kind != "taxi_permit" {
		t.Fatalf("kind %q, want taxi_permit (scores %v)", d.Kind, d.Scores)
	}
	got := table.extractFields(d.Kind, prepareLines(mkLines(texts...)), testToday)
	want := map[string]string{"name": "王小明", "certificate_number": "ABC12345678", "plate": "豫A12345", "id_number": "41010219800101123X"}
	for k, v := range want {
		if got[k].Value != v {
			t.Errorf("%s = %q, want %q", k, got[k].Value, v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want exactly %v", got, want)
	}
	// The built-in table knows no such kind: only what every picture gets.
	if got := testTable(t).extractFields("taxi_permit", prepareLines(mkLines(texts...)), testToday); got["name"].Value != "" || got["plate"].Value == "" {
		t.Errorf("an unknown kind read as a document: %v", got)
	}
}

// The picture kinds are named in kinds.json: renaming the ID photo renames what the face rule
// answers.
func TestPictureKindsAreNamedInData(t *testing.T) {
	b := editKinds(t, func(table map[string]any) {
		table["pictures"] = []any{
			map[string]any{"kind": "photo_1inch", "by": "face"},
			map[string]any{"kind": "vehicle_photo_front", "by": "plate"},
		}
	})
	table, err := parseKinds(b)
	if err != nil {
		t.Fatal(err)
	}
	face := faceResult{Faces: Faces{Count: 1, Largest: 0.4}, plain: true, comparable: 1}
	if k, _ := table.pictureKind(face, nil, decision{}, 0); k != "photo_1inch" {
		t.Errorf("one plain large face: %q, want photo_1inch", k)
	}
	plate := map[string]Field{FieldPlate: {Value: "豫A12345", Confidence: 0.99, Valid: boolPtr(true)}}
	if k, _ := table.pictureKind(faceResult{}, plate, decision{}, 1); k != "vehicle_photo_front" {
		t.Errorf("a plate and no face: %q, want vehicle_photo_front", k)
	}
	if k, _ := testTable(t).pictureKind(face, nil, decision{}, 0); k != "photo_2inch" {
		t.Errorf("built-in table: %q, want photo_2inch", k)
	}
}

func TestParseKindsRejectsBadFieldsAndPictures(t *testing.T) {
	for name, tt := range map[string]struct {
		edit func(table map[string]any)
		want string
	}{
		"unknown finder": {func(table map[string]any) {
			table["fields"] = map[string]any{"id_number": map[string]any{"find": "fingerprint"}}
		}, `unknown finder "fingerprint"`},
		"unknown value reader": {func(table map[string]any) {
			k := table["kinds"].([]any)[0].(map[string]any)
			k["fields"] = map[string]any{"name": map[string]any{"labels": []string{"姓名"}, "value": "surname"}}
		}, `unknown value "surname"`},
		"labels without a value": {func(table map[string]any) {
			k := table["kinds"].([]any)[0].(map[string]any)
			k["fields"] = map[string]any{"name": map[string]any{"labels": []string{"姓名"}}}
		}, "either find, or labels and value"},
		"a document field read everywhere already": {func(table map[string]any) {
			k := table["kinds"].([]any)[0].(map[string]any)
			k["fields"] = map[string]any{"id_number": map[string]any{"find": "id_number"}}
		}, "already read on every kind"},
		"unknown picture rule": {func(table map[string]any) {
			table["pictures"] = []any{map[string]any{"kind": "photo_2inch", "by": "smile"}}
		}, `unknown rule "smile"`},
		"no ID photo": {func(table map[string]any) {
			table["pictures"] = []any{map[string]any{"kind": "vehicle_photo_45", "by": "plate"}}
		}, "no kind is decided by face"},
		"a document kind as a picture": {func(table map[string]any) {
			table["pictures"] = []any{map[string]any{"kind": "id_card", "by": "face"}, map[string]any{"kind": "vehicle_photo_45", "by": "plate"}}
		}, `kind "id_card" is empty, a document kind`},
		"the plate rule without a plate": {func(table map[string]any) {
			table["picture_fields"] = map[string]any{}
		}, "picture_fields.plate must be read by the plate finder"},
	} {
		_, err := parseKinds(editKinds(t, tt.edit))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error saying %q", name, err, tt.want)
		}
	}
}
