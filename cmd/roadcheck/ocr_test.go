package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/content/docgen"
	"github.com/roadcheck/roadcheck/policies"
)

// ocrAssets is the asset folder the OCR tests use: ROADCHECK_OCR_DIR (make test sets it), else
// the repository's ocr-assets. Without it they skip, and say why.
func ocrAssets(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("ROADCHECK_OCR_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "ocr-assets")
	}
	for _, f := range []string{"libonnxruntime.so.1", "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Skipf("OCR assets not available (%v): run make ocr-assets; the OCR tests skip", err)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// readUpload posts one material and returns its facts.content as JSON and the time it took.
func readUpload(t testing.TB, base, token, kind string, data []byte) (json.RawMessage, string, time.Duration) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("kind", kind)
	fw, _ := w.CreateFormFile("file", "photo.jpg")
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest("POST", base+"/v1/materials", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	took := time.Since(start)
	if res.StatusCode != 201 {
		t.Fatalf("upload %s: %d %s", kind, res.StatusCode, body)
	}
	var up struct {
		UploadID string `json:"upload_id"`
		Facts    struct {
			Content json.RawMessage `json:"content"`
		} `json:"facts"`
	}
	if err := json.Unmarshal(body, &up); err != nil {
		t.Fatal(err)
	}
	return up.Facts.Content, up.UploadID, took
}

// TestUploadReadsTheDocument is the new user: a phone photo of an ID card uploaded into
// the driving licence slot of a renewal, then the pre-check.
func TestUploadReadsTheDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service with OCR")
	}
	dir := ocrAssets(t)
	// A generous budget: a loaded CI machine must not turn the reading into "timeout".
	s := startServer(t, t.TempDir(), "--ocr-dir", dir, "--ocr-budget", "30s")
	if code, b := s.call(t, "GET", "/readyz", "", nil); code != 200 || !strings.Contains(string(b), `"ocr":"ready"`) {
		t.Fatalf("readyz = %d %s, want details.ocr ready", code, b)
	}
	portal := s.token(t, "portal")
	set, err := docgen.Generate(docgen.Options{Seed: 2026, PerKind: 4, Kinds: []string{docgen.KindIDCard}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(set, func(s docgen.Sample) bool { return s.Variant == "front" })
	if i < 0 {
		t.Fatal("no ID card front in the generated set")
	}
	card := set[i]
	raw, id, took := readUpload(t, s.base, portal, "driving_licence_main", card.Image)
	t.Logf("%s (%s) read in %v: %s", card.Name, strings.Join(card.Degrade, " "), took.Round(time.Millisecond), maskDigits(string(raw)))
	var c struct {
		Status string `json:"status"`
		Kind   string `json:"kind"`
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.Status != "read" || c.Kind != "id_card" {
		t.Fatalf("content = %s, want an ID card read", raw)
	}
	var doc map[string]any
	if err := json.Unmarshal(fixture(t, "renewal_pass.json"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["applicant"].(map[string]any)["id_number"] = card.Person.IDNumber
	doc["applicant"].(map[string]any)["name"] = card.Person.Name
	if q, ok := doc["qualification"].(map[string]any); ok {
		q["holder_id_number"], q["holder_name"] = card.Person.IDNumber, card.Person.Name
	}
	ms := doc["materials"].([]any)
	for i, m := range ms {
		if m.(map[string]any)["kind"] == "driving_licence_main" {
			ms[i] = map[string]any{"kind": "driving_licence_main", "upload_id": id}
		}
	}
	body, _ := json.Marshal(doc)
	code, b := s.call(t, "POST", "/v1/precheck", portal, bytes.NewReader(body))
	if code != 200 {
		t.Fatalf("precheck = %d %s", code, b)
	}
	var d decision
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	i = slices.IndexFunc(d.Violations, func(v struct {
		Code, Severity, Message, Fix, Field, Material string
		Params                                        map[string]any
	}) bool {
		return v.Code == "MATERIAL_SUBSTITUTED" && v.Material == "driving_licence_main"
	})
	if d.Pass || i < 0 || d.Violations[i].Params["substitute"] != "id_card" {
		t.Fatalf("decision %v, want MATERIAL_SUBSTITUTED of the licence by the ID card", d.codes())
	}
	t.Logf("pre-check: %s — %s", d.Violations[i].Message, d.Violations[i].Fix)
	if d.has("MATERIAL_NOT_APPLICANTS") {
		t.Errorf("the applicant's own ID card was taken for another person's: %v", d.codes())
	}
}

// maskDigits hides the middle of long digit runs in a log line (what OCR read is personal,
// even when generated).
func maskDigits(s string) string {
	var b strings.Builder
	run := 0
	for i, r := range s {
		if r >= '0' && r <= '9' {
			run++
			if run > 3 && i+4 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				b.WriteByte('*')
				continue
			}
		} else {
			run = 0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Where each kind is uploaded correctly, which item asks for it, and the slot it is most often
// confused with (the wrong-slot case of the test set).
var testSetSlots = map[string]struct{ declared, item, wrong string }{
	docgen.KindIDCard:            {"id_card", "qualification_renewal", "driving_licence_main"},
	docgen.KindDrivingMain:       {"driving_licence_main", "qualification_renewal", "driving_licence_secondary"},
	docgen.KindDrivingSecondary:  {"driving_licence_secondary", "qualification_renewal", "driving_licence_main"},
	docgen.KindQualificationInfo: {"qualification_info_page", "qualification_renewal", "qualification_violation_page"},
	docgen.KindQualificationViol: {"qualification_violation_page", "qualification_renewal", "qualification_info_page"},
	docgen.KindStudyRecord:       {"study_record", "driver_integrity_assessment", "qualification_info_page"},
	docgen.KindVehicleFront:      {"vehicle_licence_front", "transport_cert_renewal", "vehicle_licence_back"},
	docgen.KindVehicleBack:       {"vehicle_licence_back", "transport_cert_renewal", "vehicle_licence_front"},
	docgen.KindTransportCert:     {"transport_cert", "transport_cert_renewal", "vehicle_licence_front"},
	docgen.KindPhoto2Inch:        {"photo_2inch", "qualification_renewal", "driving_licence_main"},
	docgen.KindVehiclePhoto:      {"vehicle_photo_45", "transport_cert_renewal", "transport_cert"},
	docgen.KindLifePhoto:         {"", "qualification_renewal", "photo_2inch"},
	docgen.KindOtherPhoto:        {"", "qualification_renewal", ""},
}

// contentErrors are the errors a decision owes to what was read (not to missing materials or
// dates): the false rejects when the document is right.
func contentErrors(out policies.Outcome, material string) []string {
	var codes []string
	for _, v := range out.Violations {
		if v.Severity != "error" || v.Material != material {
			continue
		}
		switch {
		case v.Code == "MATERIAL_KIND_MISMATCH", v.Code == "MATERIAL_NOT_APPLICANTS",
			v.Code == "MATERIAL_SUBSTITUTED" && v.Params["detected"] == true,
			v.Code == "PHOTO_NOT_ID_PHOTO" && v.Params["reason"] != nil:
			codes = append(codes, v.Code)
		}
	}
	return codes
}

// judge evaluates one material, as read, in the slot it is declared in, for the given person.
func judge(t testing.TB, book *policies.Engine, item, declared string, content json.RawMessage, p docgen.Person) []string {
	t.Helper()
	var c any
	if err := json.Unmarshal(content, &c); err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{
		"item": item, "as_of": "2026-12-01",
		"applicant": map[string]any{"kind": "natural", "id_number": p.IDNumber, "name": p.Name},
		"vehicle":   map[string]any{"plate": p.Plate},
		"materials": []any{map[string]any{"kind": declared, "format": "jpeg", "readable": true, "content": c}},
	}
	out, err := book.Evaluate(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return contentErrors(out, declared)
}

// BenchmarkUploadTestSet uploads the generated test set (content/docgen: every kind, degraded
// as phone photos) to the running service with one OCR worker, and reports what the issue
// measures: kind accuracy, ID number and plate read rates, false rejects (a content error on a
// correct document of the right person), wrong-slot and other-person documents caught, upload
// latency p50/p90 and the process's peak RSS.
//
//	go test ./cmd/roadcheck -run '^$' -bench UploadTestSet -benchtime 1x
//
// ROADCHECK_TESTSET_PER_KIND (default 8) sets the set's size, ROADCHECK_TESTSET_SEED (default
// 14) which set it is.
func BenchmarkUploadTestSet(b *testing.B) {
	dir := ocrAssets(b)
	perKind := 8
	if v, err := strconv.Atoi(os.Getenv("ROADCHECK_TESTSET_PER_KIND")); err == nil && v > 0 {
		perKind = v
	}
	seed := uint64(14)
	if v, err := strconv.ParseUint(os.Getenv("ROADCHECK_TESTSET_SEED"), 10, 64); err == nil {
		seed = v
	}
	set, err := docgen.Generate(docgen.Options{Seed: seed, PerKind: perKind})
	if err != nil {
		b.Fatal(err)
	}
	book, err := policies.Load(context.Background(), policies.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	data := b.TempDir()
	s := startServerTB(b, data, "--ocr-dir", dir, "--ocr-workers", "1")
	portal := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-portal.token")))))
	other, err := docgen.Generate(docgen.Options{Seed: 15, PerKind: 1, Kinds: []string{docgen.KindIDCard}, Clean: true})
	if err != nil {
		b.Fatal(err)
	}
	stranger := other[0].Person

	type tally struct{ n, ok int }
	var (
		kinds                                    = map[string]*tally{}
		idRead, plateRead, falseRej, wrong, pers tally
		lat                                      []time.Duration
		misses                                   []string
	)
	b.ResetTimer()
	for range b.N {
		for _, smp := range set {
			slot := testSetSlots[smp.Truth.Kind]
			declared := slot.declared
			if declared == "" {
				declared = slot.wrong
			}
			if declared == "" {
				declared = "driving_licence_main"
			}
			raw, _, took := readUpload(b, s.base, portal, declared, smp.Image)
			lat = append(lat, took)
			var c struct {
				Kind   string `json:"kind"`
				Fields map[string]struct {
					Value string `json:"value"`
				} `json:"fields"`
			}
			_ = json.Unmarshal(raw, &c)
			k := kinds[smp.Truth.Kind]
			if k == nil {
				k = &tally{}
				kinds[smp.Truth.Kind] = k
			}
			k.n++
			if c.Kind == smp.Truth.Kind {
				k.ok++
			} else {
				misses = append(misses, fmt.Sprintf("%s (%s) read as %s", smp.Name, strings.Join(smp.Degrade, " "), c.Kind))
			}
			if want, ok := smp.Truth.Fields["id_number"]; ok {
				idRead.n++
				if c.Fields["id_number"].Value == want {
					idRead.ok++
				}
			}
			if want, ok := smp.Truth.Fields["plate"]; ok {
				plateRead.n++
				if c.Fields["plate"].Value == want {
					plateRead.ok++
				}
			}
			if slot.declared != "" {
				falseRej.n++
				if errs := judge(b, book, slot.item, slot.declared, raw, smp.Person); len(errs) > 0 {
					falseRej.ok++
					misses = append(misses, fmt.Sprintf("%s (%s) falsely rejected: %v", smp.Name, strings.Join(smp.Degrade, " "), errs))
				}
				if _, carries := smp.Truth.Fields["id_number"]; carries || smp.Truth.Fields["plate"] != "" {
					pers.n++
					if errs := judge(b, book, slot.item, slot.declared, raw, stranger); slices.Contains(errs, "MATERIAL_NOT_APPLICANTS") {
						pers.ok++
					} else {
						misses = append(misses, fmt.Sprintf("%s (%s) of another person not caught: %v", smp.Name, strings.Join(smp.Degrade, " "), errs))
					}
				}
			}
			if slot.wrong != "" {
				wrong.n++
				if errs := judge(b, book, slot.item, slot.wrong, raw, smp.Person); len(errs) > 0 {
					wrong.ok++
				} else {
					misses = append(misses, fmt.Sprintf("%s (%s) in the %s slot not caught", smp.Name, strings.Join(smp.Degrade, " "), slot.wrong))
				}
			}
		}
	}
	b.StopTimer()
	rate := func(t tally) float64 {
		if t.n == 0 {
			return 0
		}
		return float64(t.ok) / float64(t.n)
	}
	var all tally
	names := make([]string, 0, len(kinds))
	for name, k := range kinds {
		names = append(names, name)
		all.n += k.n
		all.ok += k.ok
	}
	sort.Strings(names)
	for _, name := range names {
		b.Logf("kind %-30s %3d/%-3d %.3f", name, kinds[name].ok, kinds[name].n, rate(*kinds[name]))
	}
	for _, m := range misses {
		b.Log(m)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Milliseconds()) }
	b.ReportMetric(rate(all), "kind_acc")
	b.ReportMetric(rate(idRead), "id_read")
	b.ReportMetric(rate(plateRead), "plate_read")
	b.ReportMetric(rate(falseRej), "false_reject")
	b.ReportMetric(rate(wrong), "wrong_slot_caught")
	b.ReportMetric(rate(pers), "other_person_caught")
	b.ReportMetric(pct(0.5), "p50_ms")
	b.ReportMetric(pct(0.9), "p90_ms")
	b.ReportMetric(peakRSSMiB(), "peak_rss_MiB")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d uploads: kind %d/%d, id %d/%d, plate %d/%d, false rejects %d/%d, wrong slot caught %d/%d, other person caught %d/%d",
		len(lat), all.ok, all.n, idRead.ok, idRead.n, plateRead.ok, plateRead.n, falseRej.ok, falseRej.n, wrong.ok, wrong.n, pers.ok, pers.n)
}

// peakRSSMiB is the process's high-water resident set (VmHWM), in MiB.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
