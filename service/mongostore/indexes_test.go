package mongostore

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/roadcheck/roadcheck/service"
)

// indexName is the name the driver gives an index on keys ("status_1_due_1").
func indexName(keys bson.D) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s_%v", k.Key, k.Value))
	}
	return strings.Join(parts, "_")
}

// checkIndexes asserts the indexes of every collection secondaryIndexes names: _id_ only, or
// _id_ and the secondary ones.
func checkIndexes(t *testing.T, s *Store, secondary bool) {
	t.Helper()
	want := map[string][]string{}
	for _, ix := range secondaryIndexes {
		if want[ix.coll] == nil {
			want[ix.coll] = []string{"_id_"}
		}
		if secondary {
			want[ix.coll] = append(want[ix.coll], indexName(ix.keys))
		}
	}
	for coll, names := range want {
		got, err := s.indexNames(context.Background(), coll)
		if err != nil {
			t.Fatalf("%s: %v", coll, err)
		}
		slices.Sort(got)
		slices.Sort(names)
		if !slices.Equal(got, names) {
			t.Errorf("%s indexes = %v, want %v", coll, got, names)
		}
	}
}

// seedQueries stores submissions, audit records and certificates that the indexed queries
// select and sort.
func seedQueries(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	subs := []service.Submission{
		{ID: "a_1", Portal: "p1", ApplicantID: "x", Item: "qualification_renewal", Status: service.StatusSubmitted, Due: "2026-12-03"},
		{ID: "a_2", Portal: "p1", ApplicantID: "x", Item: "integrity_assessment", Status: service.StatusAccepted, Due: "2026-12-02"},
		{ID: "a_3", Portal: "p2", ApplicantID: "x", Item: "qualification_renewal", Status: service.StatusSubmitted, Due: "2026-12-09"},
		{ID: "a_4", Portal: "p1", ApplicantID: "y", Item: "qualification_renewal", Status: service.StatusSubmitted, Due: "2026-12-01"},
		{ID: "a_5", Portal: "p1", ApplicantID: "x", Item: "qualification_renewal", Status: service.StatusNotAccepted, Due: ""},
	}
	for i, sub := range subs {
		sub.SubmittedAt = at.Add(time.Duration(i) * time.Hour)
		if err := s.InsertSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordDecision(ctx, service.AuditRecord{ID: "d_" + sub.ID[2:], At: sub.SubmittedAt, ApplicationID: sub.ID}); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range []string{"C1", "C2", "C3"} {
		if err := s.InsertCertificate(ctx, service.CertificateRecord{ID: id, Status: service.CertValid, IssuedAt: at}); err != nil {
			t.Fatal(err)
		}
		if i != 1 {
			if _, err := s.RevokeCertificate(ctx, id, at.Add(time.Hour), "test"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// queryAnswers runs each query that had an index and returns the ids it answers, in order.
func queryAnswers(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	ids := func(subs []service.Submission, err error) []string {
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, sub := range subs {
			out = append(out, sub.ID)
		}
		return out
	}
	out := map[string][]string{
		"list p1/x":  ids(s.ListSubmissions(ctx, service.ListFilter{Portal: "p1", ApplicantID: "x", Limit: 10})),
		"list x":     ids(s.ListSubmissions(ctx, service.ListFilter{ApplicantID: "x", Limit: 10})),
		"list paged": ids(s.ListSubmissions(ctx, service.ListFilter{Portal: "p1", ApplicantID: "x", Offset: 1, Limit: 1})),
		"queue":      ids(s.Queue(ctx, service.QueueFilter{Limit: 10})),
		"queue item": ids(s.Queue(ctx, service.QueueFilter{Item: "qualification_renewal", Limit: 10})),
		"overdue":    ids(s.Queue(ctx, service.QueueFilter{Status: service.StatusSubmitted, Overdue: true, Today: "2026-12-05", Limit: 10})),
	}
	ds, err := s.Decisions(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		out["decisions"] = append(out["decisions"], d.ID)
	}
	revoked, err := s.RevokedCertificates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range revoked {
		out["revoked"] = append(out["revoked"], r.ID)
	}
	return out
}

// The embedded store keeps only the _id indexes (Options.IDIndexOnly), drops the secondary
// indexes of a store created before, and its queries answer as they did with them.
func TestEmbeddedIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	emb := startEmbedded(t, "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// A store as earlier versions created it, with the secondary indexes.
	old, err := Open(ctx, emb.URI(), "roadcheck", Options{SerializeWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	seedQueries(t, old)
	checkIndexes(t, old, true)
	before := queryAnswers(t, old)
	if err := old.Close(ctx); err != nil {
		t.Fatal(err)
	}

	s, err := emb.Open(ctx, "roadcheck")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	checkIndexes(t, s, false)
	after := queryAnswers(t, s)
	want := map[string][]string{
		"list p1/x":  {"a_5", "a_2", "a_1"},
		"list x":     {"a_5", "a_3", "a_2", "a_1"},
		"list paged": {"a_2"},
		"queue":      {"a_4", "a_2", "a_1", "a_3"},
		"queue item": {"a_4", "a_1", "a_3"},
		"overdue":    {"a_4", "a_1"},
		"decisions":  {"d_5", "d_4", "d_3"},
		"revoked":    {"C1", "C3"},
	}
	if !reflect.DeepEqual(before, want) {
		t.Errorf("with the indexes:\n got %v\nwant %v", before, want)
	}
	if !reflect.DeepEqual(after, want) {
		t.Errorf("with _id only:\n got %v\nwant %v", after, want)
	}
	// Opening again finds nothing to drop.
	if err := s.ensureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, s, false)
}

// A real MongoDB keeps its secondary indexes.
func TestMongoDBIndexes(t *testing.T) {
	uri := os.Getenv("ROADCHECK_TEST_MONGO_URI")
	if uri == "" {
		t.Skip("ROADCHECK_TEST_MONGO_URI is not set")
	}
	s := openFresh(t, uri, Options{})
	checkIndexes(t, s, true)
	seedQueries(t, s)
	if got := queryAnswers(t, s); len(got["queue"]) != 4 || len(got["revoked"]) != 2 {
		t.Errorf("queries on MongoDB: %v", got)
	}
}

// BenchmarkEmbeddedIndexes measures, on the embedded store, a submission's insert and the
// indexed queries over 200 stored submissions, with the secondary indexes and without. The
// insert reports the process's CPU time beside its wall time, which the fsync dominates.
//
//	go test ./service/mongostore -run '^$' -bench EmbeddedIndexes
func BenchmarkEmbeddedIndexes(b *testing.B) {
	emb := startEmbedded(b, "", nil)
	ctx := context.Background()
	sub, _, _ := storedSamples(b)
	for _, mode := range []struct {
		name string
		opts Options
	}{{"secondary", Options{SerializeWrites: true}}, {"id-only", emb.Options()}} {
		s, err := Open(ctx, emb.URI(), "bench_"+strings.ReplaceAll(mode.name, "-", "_"), mode.opts)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		insert := func() {
			n++
			sub.ID = fmt.Sprintf("a_%08d", n)
			sub.ApplicantID = fmt.Sprintf("x%03d", n%500)
			if err := s.InsertSubmission(ctx, sub); err != nil {
				b.Fatal(err)
			}
		}
		for range 200 {
			insert()
		}
		b.Run(mode.name+"/InsertSubmission", func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				insert()
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
		b.Run(mode.name+"/ListSubmissions", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListSubmissions(ctx, service.ListFilter{Portal: sub.Portal, ApplicantID: "x007", Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(mode.name+"/Queue", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Queue(ctx, service.QueueFilter{Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		_ = s.Close(ctx)
	}
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
