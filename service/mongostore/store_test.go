package mongostore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/certs"
	"github.com/roadcheck/roadcheck/service"
)

// The same suite runs against every backend: the embedded FerretDB always, and a real MongoDB
// when ROADCHECK_TEST_MONGO_URI is set.

func TestEmbeddedFerretDB(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	emb := startEmbedded(t, "", nil)
	runSuite(t, emb.URI(), emb.Options())
}

func TestMongoDB(t *testing.T) {
	uri := os.Getenv("ROADCHECK_TEST_MONGO_URI")
	if uri == "" {
		t.Skip("ROADCHECK_TEST_MONGO_URI is not set")
	}
	runSuite(t, uri, Options{})
}

// openFresh opens a store on a database of its own, so suite cases never see each other's data.
func openFresh(t *testing.T, uri string, opts Options) *Store {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, uri, "roadcheck_test_"+hex.EncodeToString(b[:]), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.db.Drop(ctx)
		_ = s.Close(ctx)
	})
	return s
}

func runSuite(t *testing.T, uri string, opts Options) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s *Store)
	}{
		{"Ping", testPing},
		{"QualificationRoundTrip", testQualificationRoundTrip},
		{"QualificationUpsertReplaces", testQualificationUpsertReplaces},
		{"VehicleRoundTrip", testVehicleRoundTrip},
		{"NotFound", testNotFound},
		{"RejectsEmptyKeys", testRejectsEmptyKeys},
		{"MaterialRoundTrip", testMaterialRoundTrip},
		{"ConcurrentInsertsAndDuplicates", testConcurrentInserts},
		{"EachSubmission", testEachSubmission},
		{"Certificates", testCertificates},
		{"TransitionIsConditional", testTransitionIsConditional},
		{"SubmissionCarriesItsAudit", testSubmissionCarriesItsAudit},
		{"FailedUploadLeavesNoChunk", testFailedUploadLeavesNoChunk},
		{"CheckAndRepair", testCheckAndRepair},
		{"ProbeWrite", testProbeWrite},
		{"ReadsStoredV1", testReadsStoredV1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, openFresh(t, uri, opts)) })
	}
}

func ptr[T any](v T) *T { return &v }

func testPing(t *testing.T, s *Store) {
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func sampleQualification() service.Qualification {
	return service.Qualification{
		Number: "Q410100000001", HolderIDNumber: "410105198005170018", HolderName: "张三",
		Categories: []string{"freight_driver", "dg_driver"}, FirstIssued: "2020-12-01", Expires: "2026-12-01",
		Status: "valid", WorkUnit: "郑州某物流有限公司", InfoChanged: ptr(false), LastAssessedCycleEnd: "2025-12-01",
	}
}

func testQualificationRoundTrip(t *testing.T, s *Store) {
	ctx := context.Background()
	want := sampleQualification()
	if err := s.PutQualification(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Qualification(ctx, want.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func testQualificationUpsertReplaces(t *testing.T, s *Store) {
	ctx := context.Background()
	q := sampleQualification()
	if err := s.PutQualification(ctx, q); err != nil {
		t.Fatal(err)
	}
	q.Status = "cancelled"
	q.WorkUnit = "" // a field dropped by the newer record must not survive from the older one
	if err := s.PutQualification(ctx, q); err != nil {
		t.Fatal(err)
	}
	got, err := s.Qualification(ctx, q.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "cancelled" || got.WorkUnit != "" {
		t.Errorf("after replace got status %q work unit %q", got.Status, got.WorkUnit)
	}
	n, err := s.db.Collection(collQualifications).CountDocuments(ctx, map[string]any{})
	if err != nil || n != 1 {
		t.Errorf("count = %d, %v; want 1 record after two upserts", n, err)
	}
}

func testVehicleRoundTrip(t *testing.T, s *Store) {
	ctx := context.Background()
	want := service.Vehicle{
		Plate: "豫A12345", PlateColour: "yellow", OwnerPermitNumber: "410100000001", OwnerName: "郑州某物流有限公司",
		TransportCertNumber: "410100123456", CertIssued: "2024-01-10", CertExpires: "2027-01-09", CertStatus: "valid",
		GrossMassKg: ptr(18000.0), DangerousGoods: ptr(false), LastReview: "2025-03-01",
	}
	if err := s.PutVehicle(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Vehicle(ctx, want.Plate)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func testNotFound(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, err := s.Qualification(ctx, "Q-none"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("Qualification(unknown) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Vehicle(ctx, "豫Z00000"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("Vehicle(unknown) error = %v, want ErrNotFound", err)
	}
}

func testRejectsEmptyKeys(t *testing.T, s *Store) {
	ctx := context.Background()
	if err := s.PutQualification(ctx, service.Qualification{Status: "valid"}); err == nil {
		t.Error("PutQualification without number succeeded")
	}
	if err := s.PutVehicle(ctx, service.Vehicle{CertStatus: "valid"}); err == nil {
		t.Error("PutVehicle without plate succeeded")
	}
}

func testMaterialRoundTrip(t *testing.T, s *Store) {
	ctx := context.Background()
	// Larger than one GridFS chunk and than a 4 MiB message, so chunking is exercised.
	data := make([]byte, 5<<20+123)
	_, _ = rand.Read(data)
	sharp, conf, valid := 123.5, 0.93, true
	want := service.Upload{
		ID: "m_0123", Owner: "henan-portal", Kind: "photo_2inch", CreatedAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC),
		Facts: service.MaterialFacts{Format: "jpeg", SizeBytes: int64(len(data)), Width: 413, Height: 579,
			SHA256: "00000000000000000000000000000000000000000000000000000000000000ab", Readable: true, Background: "blue", Sharpness: &sharp,
			Content: &service.Content{Status: "read", Kind: "photo_2inch", Confidence: &conf, Rotation: 90,
				Fields: map[string]service.ContentField{"name": {Value: "张三", Confidence: &conf}, "id_number": {Value: "410105198005170018", Confidence: &conf, Valid: &valid}},
				Faces:  &service.ContentFaces{Count: 1, Largest: 0.42, LargestPx: 174},
				Engine: &service.ContentEngine{Text: "PP-OCRv4", Faces: "pigo 1.4.6"}}},
	}
	if err := s.PutMaterial(ctx, want, data); err != nil {
		t.Fatal(err)
	}
	got, err := s.Material(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	b, err := s.MaterialBytes(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, data) {
		t.Errorf("stored bytes differ: %d bytes back, %d put", len(b), len(data))
	}
	if _, err := s.Material(ctx, "m_none"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("Material(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.MaterialBytes(ctx, "m_none"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("MaterialBytes(unknown) = %v, want ErrNotFound", err)
	}
	// The same id twice is refused, never a silent overwrite of an applicant's file.
	if err := s.PutMaterial(ctx, want, []byte("other")); err == nil {
		t.Error("a second PutMaterial with the same id succeeded")
	}
	if b, err := s.MaterialBytes(ctx, want.ID); err != nil || !bytes.Equal(b, data) {
		t.Errorf("the refused second put changed the stored bytes (%v)", err)
	}
}

// testConcurrentInserts: inserts that share a group commit each get their own outcome; a
// duplicate id fails alone and never takes the rest of its batch with it.
func testConcurrentInserts(t *testing.T, s *Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 60)
	at := time.Now().UTC()
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("a_%02d", i)
			if i >= 50 {
				id = "a_dup" // ten writers race for one id
			}
			audit := service.AuditRecord{ID: fmt.Sprintf("d_%02d", i), At: at, ApplicationID: id}
			errs[i] = s.InsertSubmission(ctx, service.Submission{ID: id, Portal: "p", ApplicantID: "x",
				Item: "qualification_renewal", Status: service.StatusSubmitted, SubmittedAt: at, Audit: &audit})
		}()
		// Refused pre-checks' records, in the same batches.
		wg.Go(func() { _ = s.RecordDecision(ctx, service.AuditRecord{ID: fmt.Sprintf("d_refused_%02d", i), At: at}) })
	}
	wg.Wait()
	dups, winner := 0, -1
	for i, err := range errs {
		switch {
		case i < 50 && err != nil:
			t.Errorf("insert %d: %v", i, err)
		case i >= 50 && errors.Is(err, service.ErrDuplicate):
			dups++
		case i >= 50 && err != nil:
			t.Errorf("insert %d: %v", i, err)
		case i >= 50:
			winner = i
		}
	}
	if dups != 9 {
		t.Errorf("%d of 10 racing inserts of one id were refused as duplicates, want 9", dups)
	}
	for i := range 50 {
		if _, err := s.Submission(ctx, fmt.Sprintf("a_%02d", i)); err != nil {
			t.Errorf("submission %d not stored: %v", i, err)
		}
	}
	// Every stored submission's record is in the log, the refused duplicates' are not, and
	// every refused pre-check's is.
	ds, err := s.Decisions(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range ds {
		got[d.ID] = d.ApplicationID
	}
	want := map[string]string{fmt.Sprintf("d_%02d", winner): "a_dup"}
	for i := range 60 {
		if i < 50 {
			want[fmt.Sprintf("d_%02d", i)] = fmt.Sprintf("a_%02d", i)
		}
		want[fmt.Sprintf("d_refused_%02d", i)] = ""
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit log has %d records, want %d: %v", len(got), len(want), got)
	}
}

// testEachSubmission (suite): every stored application once, whole, in whatever order the
// store keeps them, to one call of the callback at a time; an error from the callback stops
// the walk and is returned.
func testEachSubmission(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	want := map[string]string{}
	for i := range 250 { // more than a cursor's first batch (101)
		id := fmt.Sprintf("a_%03d", (i*37)%250)
		item := []string{"qualification_renewal", "freight_annual_review"}[i%2]
		if err := s.InsertSubmission(ctx, service.Submission{ID: id, Portal: "p", ApplicantID: "x", Item: item,
			Status: service.StatusSubmitted, SubmittedAt: at.Add(time.Duration(-i) * time.Minute),
			Input: service.Application{Item: item, AsOf: "2026-03-01"}}); err != nil {
			t.Fatal(err)
		}
		want[id] = item
	}
	got := map[string]string{}
	var inside atomic.Int32
	err := s.EachSubmission(ctx, func(sub service.Submission) error {
		if inside.Add(1) != 1 {
			t.Error("fn called while another call runs")
		}
		defer inside.Add(-1)
		time.Sleep(50 * time.Microsecond) // long enough for a concurrent call to overlap
		if _, seen := got[sub.ID]; seen {
			t.Errorf("%s visited twice", sub.ID)
		}
		got[sub.ID] = sub.Input.Item
		if one, err := s.Submission(ctx, sub.ID); err != nil || !reflect.DeepEqual(one, sub) {
			t.Errorf("%s visited as %+v, read by id as %+v (%v)", sub.ID, sub, one, err)
		}
		return nil
	})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("visited %d of %d (%v)", len(got), len(want), err)
	}
	stop := errors.New("enough")
	n := 0
	err = s.EachSubmission(ctx, func(service.Submission) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("after the callback's error: %v, %d calls", err, n)
	}
}

func testCertificates(t *testing.T, s *Store) {
	ctx := context.Background()
	issued := time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC)
	want := service.CertificateRecord{
		ID: "K7Q2M4XW9TBC3HDA", ApplicationID: "a_1", Portal: "henan-portal", Type: "integrity_assessment",
		Status: service.CertValid, IssuedAt: issued, ExpiresAt: issued.AddDate(1, 0, 16), Payload: "RC1:ABC",
		Cert: certs.Certificate{ID: "K7Q2M4XW9TBC3HDA", Type: "integrity_assessment", Subject: "张三", IDNumber: "410105198005170018",
			Categories: []string{"freight_driver"}, Grade: "AA", CycleStart: "2025-12-01", CycleEnd: "2026-12-01",
			IssuedAt: issued, ExpiresAt: issued.AddDate(1, 0, 16), Authority: "河南省交通运输厅"},
	}
	if err := s.InsertCertificate(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Certificate(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	at := issued.Add(time.Hour)
	rev, err := s.RevokeCertificate(ctx, want.ID, at, "材料造假")
	if err != nil || rev.Status != service.CertRevoked || rev.RevokeReason != "材料造假" || rev.RevokedAt == nil || !rev.RevokedAt.Equal(at) {
		t.Fatalf("revoke = %+v, %v", rev, err)
	}
	if _, err := s.RevokeCertificate(ctx, want.ID, at, "again"); !errors.Is(err, service.ErrStale) {
		t.Errorf("second revoke = %v, want ErrStale", err)
	}
	if _, err := s.RevokeCertificate(ctx, "NONE", at, "x"); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("revoke unknown = %v, want ErrNotFound", err)
	}
	// The revocation list's query: revoked certificates only, id, date and reason.
	other := want
	other.ID, other.Cert.ID = "A2345678ABCDEFGH", "A2345678ABCDEFGH"
	if err := s.InsertCertificate(ctx, other); err != nil {
		t.Fatal(err)
	}
	revoked, err := s.RevokedCertificates(ctx)
	if n, cerr := s.CountRevokedCertificates(ctx); err != nil || cerr != nil || n != 1 || len(revoked) != 1 ||
		revoked[0] != (service.RevokedCertificate{ID: want.ID, RevokedAt: at, Reason: "材料造假"}) {
		t.Errorf("revoked certificates = %d %+v, %v %v", n, revoked, err, cerr)
	}
	if _, err := s.RevokeCertificate(ctx, other.ID, at.Add(time.Minute), "证件遗失"); err != nil {
		t.Fatal(err)
	}
	if revoked, err := s.RevokedCertificates(ctx); err != nil || len(revoked) != 2 || revoked[0].ID != other.ID || revoked[1].ID != want.ID {
		t.Errorf("revoked certificates after a second revocation = %+v, %v (want id order)", revoked, err)
	}
	if err := s.DeleteCertificate(ctx, want.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Certificate(ctx, want.ID); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}
