package mongostore

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// testdata/stored-v1.bson holds the documents the store wrote when jsondoc converted the
// service's values, byte for byte, and testdata/stored-text-v1.bson those it writes with
// Options.JSONText (the embedded store since issue 17); the .json files beside them show them
// as canonical Extended JSON, for reading only. Data stored in either shape must read the same
// forever (an embedded store written before JSONText holds the first), and new writes must keep
// their shape. Regenerate only on purpose: go test ./service/mongostore -run TestStored -args -update-stored
var updateStored = flag.Bool("update-stored", false, "rewrite testdata/stored-*.bson from the current code")

// storedShapes are the fixtures of the two shapes values are written in.
var storedShapes = []struct {
	name    string
	values  jsonValues
	fixture string
}{{"documents", asDocuments, "testdata/stored-v1.bson"}, {"text", asText, "testdata/stored-text-v1.bson"}}

// storedSamples are values that exercise every conversion: numbers integral and not, in
// int32 and int64 range, times with nanoseconds and offsets, maps (key order), nil and empty
// slices, omitempty, json:"-" fields, untagged struct fields (certs). No $-keys: FerretDB
// refuses to store them (TestToDocKeepsDollarKeysAsData covers the conversion).
func storedSamples(tb testing.TB) (service.Submission, service.Upload, service.CertificateRecord) {
	tb.Helper()
	raw, err := os.ReadFile("../../samples/qualification_reissue_life_photo.json")
	if err != nil {
		tb.Fatal(err)
	}
	var in service.Application
	if err := json.Unmarshal(raw, &in); err != nil {
		tb.Fatal(err)
	}
	in.Form["count"] = 3.0
	in.Form["ratio"] = 0.25
	in.Form["big"] = 3e9
	in.Form["huge"] = 1e21
	in.Form["nested"] = map[string]any{"z": []any{1.0, "x", nil, true, map[string]any{}}, "a": math.Copysign(0, -1)}
	at := time.Date(2026, 11, 24, 8, 30, 15, 123000000, time.UTC)
	conf, valid := 0.875, true
	in.Materials[2].Content = &service.Content{Status: "read", Kind: "life_photo", Confidence: &conf, Rotation: 90,
		Fields: map[string]service.ContentField{"name": {Value: "张三", Confidence: &conf}, "id_number": {Value: "410105198005170018", Valid: &valid}},
		Faces:  &service.ContentFaces{Count: 1, Largest: 0.5, LargestPx: 174}, Engine: &service.ContentEngine{Faces: "pigo 1.4.6"}}
	redacted := in
	redacted.Applicant = &service.Applicant{Kind: "natural", IDNumber: "4101**********0018", Name: "张*"}
	audit := service.AuditRecord{ID: "d_0001", At: at, Caller: "henan-portal", Item: in.Item, Pass: false,
		Codes: []string{"PHOTO_NOT_ID_PHOTO"}, PolicyRevision: "rev-42", InputSHA256: "ab12", RedactedInput: redacted,
		ApplicationID: "a_0001"}
	sub := service.Submission{
		ID: "a_0001", Portal: "henan-portal", ApplicantID: "410105198005170018", Item: in.Item,
		Status: service.StatusAccepted, SubmittedAt: at, AcceptBy: "2026-11-27", ResultBy: "2026-12-08", Provisional: true,
		Due: "2026-12-08", RequestHash: "f00d",
		History: []service.HistoryEntry{
			{At: at, By: "henan-portal", Action: service.ActionSubmit, To: service.StatusSubmitted},
			{At: time.Date(2026, 11, 25, 1, 2, 3, 456789012, time.UTC), By: "reviewer 李四", Action: service.ActionAccept,
				From: service.StatusSubmitted, To: service.StatusAccepted, Reason: "材料齐全 <ok> & \"quoted\"\n"},
		},
		Decision: service.Decision{Item: in.Item, AsOf: in.AsOf, Pass: false,
			Violations: []policies.Violation{{Code: "PHOTO_NOT_ID_PHOTO", Severity: "error", Message: "照片不是证件照",
				MessageEN: "not an ID photo", Basis: "规定第3条", Fix: "重新上传", Field: "materials[2]", Material: "photo_2inch",
				Params: map[string]any{"min": 300.0, "got": 40.5, "kinds": []any{"photo_2inch"}, "limit": 1e10}}},
			RequiredMaterials: []policies.RequiredMaterial{{Kind: "photo_2inch", Name: "二寸照片", Required: true},
				{Kind: "id_card", Name: "身份证", NameEN: "ID card"}},
			Deadlines:      &service.Deadlines{AcceptBy: "2026-11-27", ResultBy: "2026-12-08", Provisional: true},
			PolicyRevision: "rev-42"},
		Input: in,
		Audit: &audit,
	}
	sharp := 300.0
	up := service.Upload{ID: "m_0001", Owner: "henan-portal", Kind: "photo_2inch", CreatedAt: at,
		Facts: service.MaterialFacts{Format: "jpeg", SizeBytes: 60000, Width: 1600, Height: 1200,
			SHA256: "000000000000000000000000000000000000000000000000000000000000000c", Readable: true,
			Background: "other", Sharpness: &sharp, Content: in.Materials[2].Content}}
	issued := time.Date(2026, 12, 5, 2, 0, 0, 0, time.FixedZone("", 8*3600))
	revoked := issued.Add(time.Hour)
	cert := service.CertificateRecord{ID: "K7Q2M4XW9TBC3HDA", ApplicationID: "a_0001", Portal: "henan-portal",
		Type: "integrity_assessment", Status: service.CertRevoked, IssuedAt: issued.UTC(), ExpiresAt: issued.AddDate(1, 0, 16).UTC(),
		Payload: "RC1:ABC", RevokedAt: &revoked, RevokeReason: "材料造假",
		Cert: certs.Certificate{ID: "K7Q2M4XW9TBC3HDA", Type: "integrity_assessment", IssuedAt: issued,
			ExpiresAt: issued.AddDate(1, 0, 16), Authority: "河南省交通运输厅", Subject: "张三", IDNumber: "410105198005170018",
			Categories: []string{"freight_driver"}, Grade: "AA", CycleStart: "2025-12-01", CycleEnd: "2026-12-01"}}
	return sub, up, cert
}

// storedDocs converts the samples with the current code.
func storedDocs(tb testing.TB, values jsonValues) map[string]bson.Raw {
	tb.Helper()
	sub, up, cert := storedSamples(tb)
	app, err := submissionDoc(sub, values)
	if err != nil {
		tb.Fatal(err)
	}
	mat, err := materialDocFrom(up, values)
	if err != nil {
		tb.Fatal(err)
	}
	cd, err := certificateDocFrom(cert, values)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]bson.Raw{}
	for name, d := range map[string]any{"application": app, "decision": app.Audit, "material": mat, "certificate": cd} {
		b, err := bson.Marshal(d)
		if err != nil {
			tb.Fatal(err)
		}
		out[name] = b
	}
	return out
}

func readStoredFixture(t *testing.T, fixture string) map[string]bson.Raw {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	elems, err := bson.Raw(b).Elements()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bson.Raw{}
	for _, e := range elems {
		out[e.Key()] = e.Value().Document()
	}
	return out
}

// TestStoredShapeUnchanged: the current code writes exactly the documents of the fixtures,
// in each shape; the text shape carries the same values as the documents one.
func TestStoredShapeUnchanged(t *testing.T) {
	names := []string{"application", "decision", "material", "certificate"}
	for _, shape := range storedShapes {
		docs := storedDocs(t, shape.values)
		if *updateStored {
			all := bson.D{}
			for _, name := range names {
				all = append(all, bson.E{Key: name, Value: docs[name]})
			}
			b, err := bson.Marshal(all)
			if err != nil {
				t.Fatal(err)
			}
			ext, err := bson.MarshalExtJSONIndent(all, true, false, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(shape.fixture, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(strings.TrimSuffix(shape.fixture, ".bson")+".json", append(ext, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want := readStoredFixture(t, shape.fixture)
		for _, name := range names {
			if raw := docs[name]; !bytes.Equal(raw, want[name]) {
				got, _ := bson.MarshalExtJSON(raw, true, false)
				exp, _ := bson.MarshalExtJSON(want[name], true, false)
				t.Errorf("%s %s: stored shape changed\n got %s\nwant %s", shape.name, name, got, exp)
			}
		}
	}
}

// TestStoredDocumentsRead: documents of the fixtures read back as the values they were written
// from (times in UTC, as the store returns them), in either shape.
func TestStoredDocumentsRead(t *testing.T) {
	for _, shape := range storedShapes {
		t.Run(shape.name, func(t *testing.T) { testStoredDocumentsRead(t, shape.fixture) })
	}
}

func testStoredDocumentsRead(t *testing.T, fixture string) {
	sub, up, cert := storedSamples(t)
	docs := readStoredFixture(t, fixture)
	var app applicationDoc
	if err := bson.Unmarshal(docs["application"], &app); err != nil {
		t.Fatal(err)
	}
	gotSub, err := app.toService()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotSub, sub) {
		t.Errorf("application:\n got %+v\nwant %+v", gotSub, sub)
	}
	var dec decisionDoc
	if err := bson.Unmarshal(docs["decision"], &dec); err != nil {
		t.Fatal(err)
	}
	if a, err := dec.toService(); err != nil || !reflect.DeepEqual(a, *sub.Audit) {
		t.Errorf("decision: %v\n got %+v\nwant %+v", err, a, *sub.Audit)
	}
	var mat materialDoc
	if err := bson.Unmarshal(docs["material"], &mat); err != nil {
		t.Fatal(err)
	}
	if u, err := mat.toService(); err != nil || !reflect.DeepEqual(u, up) {
		t.Errorf("material: %v\n got %+v\nwant %+v", err, u, up)
	}
	var cd certificateDoc
	if err := bson.Unmarshal(docs["certificate"], &cd); err != nil {
		t.Fatal(err)
	}
	r, err := cd.toService()
	if err != nil {
		t.Fatal(err)
	}
	// The record's own times come back in UTC; the certificate's keep their offset (they
	// are stored as RFC 3339 strings).
	wantCert := cert
	revokedUTC := cert.RevokedAt.UTC()
	wantCert.RevokedAt = &revokedUTC
	if !reflect.DeepEqual(r, wantCert) {
		t.Errorf("certificate:\n got %+v\nwant %+v", r, wantCert)
	}
}

// testReadsStoredV1 (suite): the fixtures' documents, inserted as they are, read through the
// store on every backend, whichever shape the store writes itself.
func testReadsStoredV1(t *testing.T, s *Store) {
	for _, shape := range storedShapes {
		t.Run(shape.name, func(t *testing.T) { testReadsStored(t, s, shape.fixture) })
	}
}

func testReadsStored(t *testing.T, s *Store, fixture string) {
	ctx := context.Background()
	docs := readStoredFixture(t, fixture)
	colls := map[string]string{collApplications: "application", collDecisions: "decision",
		collMaterials: "material", collCertificates: "certificate"}
	for coll, name := range colls {
		if _, err := s.db.Collection(coll).InsertOne(ctx, docs[name]); err != nil {
			t.Fatal(err)
		}
	}
	// The next shape's fixture has the same ids.
	t.Cleanup(func() {
		for coll, name := range colls {
			id := docs[name].Lookup("_id")
			if _, err := s.db.Collection(coll).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
				t.Error(err)
			}
		}
	})
	sub, up, _ := storedSamples(t)
	if got, err := s.Submission(ctx, sub.ID); err != nil || !reflect.DeepEqual(got, sub) {
		t.Errorf("submission: %v\n got %+v\nwant %+v", err, got, sub)
	}
	if ds, err := s.Decisions(ctx, 10); err != nil || len(ds) != 1 || !reflect.DeepEqual(ds[0], *sub.Audit) {
		t.Errorf("decisions: %v %+v", err, ds)
	}
	if got, err := s.Material(ctx, up.ID); err != nil || !reflect.DeepEqual(got, up) {
		t.Errorf("material: %v\n got %+v\nwant %+v", err, got, up)
	}
	if _, err := s.Certificate(ctx, "K7Q2M4XW9TBC3HDA"); err != nil {
		t.Errorf("certificate: %v", err)
	}
}

// BenchmarkConvertSubmission is the CPU a submission's documents cost in the store, without
// the database: to bson (as the driver sends it) and back, in each shape.
func BenchmarkConvertSubmission(b *testing.B) {
	sub, _, _ := storedSamples(b)
	for _, shape := range storedShapes {
		b.Run(shape.name+"/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := submissionDoc(sub, shape.values)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bson.Marshal(d); err != nil {
					b.Fatal(err)
				}
			}
		})
		d, _ := submissionDoc(sub, shape.values)
		raw, _ := bson.Marshal(d)
		b.Run(shape.name+"/decode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var d applicationDoc
				if err := bson.Unmarshal(raw, &d); err != nil {
					b.Fatal(err)
				}
				if _, err := d.toService(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInsertShape is what the embedded FerretDB spends storing and reading a submission
// in each shape: one InsertSubmission at a time and a read by id (the CPU of the whole process,
// FerretDB's included), and the stored size.
//
//	go test ./service/mongostore -run '^$' -bench InsertShape -benchtime 2000x
func BenchmarkInsertShape(b *testing.B) {
	emb := startEmbedded(b, "", nil)
	ctx := context.Background()
	sub, _, _ := storedSamples(b)
	for _, shape := range storedShapes {
		opts := emb.Options()
		opts.JSONText = shape.values == asText
		s, err := Open(ctx, emb.URI(), "bench_"+shape.name, opts)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		b.Run(shape.name+"/InsertSubmission", func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				n++
				sub.ID = fmt.Sprintf("a_%08d", n)
				if err := s.InsertSubmission(ctx, sub); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			d, _ := submissionDoc(sub, shape.values)
			raw, _ := bson.Marshal(d)
			b.ReportMetric(float64(len(raw)), "bson-bytes")
		})
		b.Run(shape.name+"/Submission", func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := s.Submission(ctx, "a_00000001"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkJSONTagsAlternative measures what issue 16 proposed instead of jsondoc: the
// driver's own encoder and decoder on the service's json tags (UseJSONStructTags, IntMinSize,
// DefaultDocumentMap), on a submission's input document. It is faster but writes another shape
// (see jsondoc.go), so it is measured here only, against the same conversion done by jsondoc.
func BenchmarkJSONTagsAlternative(b *testing.B) {
	sub, _, _ := storedSamples(b)
	bsonTags := func(v any) ([]byte, error) {
		var buf bytes.Buffer
		enc := bson.NewEncoder(bson.NewDocumentWriter(&buf))
		enc.UseJSONStructTags()
		enc.IntMinSize()
		err := enc.Encode(v)
		return buf.Bytes(), err
	}
	b.Run("encode/jsondoc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, err := toDoc(sub.Input)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := bson.Marshal(d); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/bsontags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bsonTags(sub.Input); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, _ := toDoc(sub.Input)
	raw, _ := bson.Marshal(d)
	b.Run("decode/jsondoc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var in bson.D
			var a service.Application
			if err := bson.Unmarshal(raw, &in); err != nil {
				b.Fatal(err)
			}
			if err := fromDoc(in, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/bsontags", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a service.Application
			dec := bson.NewDecoder(bson.NewDocumentReader(bytes.NewReader(raw)))
			dec.UseJSONStructTags()
			dec.DefaultDocumentMap()
			if err := dec.Decode(&a); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSubmissionStore inserts and reads submissions on the embedded FerretDB.
func BenchmarkSubmissionStore(b *testing.B) {
	emb := startEmbedded(b, "", nil)
	ctx := context.Background()
	s, err := Open(ctx, emb.URI(), "roadcheck_bench", emb.Options())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	sub, _, _ := storedSamples(b)
	n := 0
	b.Run("InsertSubmission", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n++
			sub.ID = fmt.Sprintf("a_%08d", n)
			if err := s.InsertSubmission(ctx, sub); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadSubmission", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Submission(ctx, sub.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
