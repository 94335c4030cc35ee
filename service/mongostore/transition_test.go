package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/roadcheck/roadcheck/service"
)

// testTransitionIsConditional: a transition applies only from the status it names (ErrStale
// otherwise, ErrNotFound for no application), appends its history entry, and of concurrent
// transitions from the same status exactly one wins, on every backend.
func testTransitionIsConditional(t *testing.T, s *Store) {
	ctx := context.Background()
	at := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	sub := sampleSubmission("a_transition", at)
	if err := s.InsertSubmission(ctx, sub); err != nil {
		t.Fatal(err)
	}
	accept := service.Transition{To: service.StatusAccepted, Due: "2026-12-09", ResultBy: "2026-12-30",
		Entry: service.HistoryEntry{At: at, By: "reviewer", Action: service.ActionAccept, From: service.StatusSubmitted, To: service.StatusAccepted}}
	if _, err := s.Transition(ctx, "a_none", service.StatusSubmitted, accept); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("transition of no application = %v, want ErrNotFound", err)
	}
	if _, err := s.Transition(ctx, sub.ID, service.StatusAccepted, accept); !errors.Is(err, service.ErrStale) {
		t.Errorf("transition from a status it is not in = %v, want ErrStale", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, stale := 0, 0
	for range 8 {
		wg.Go(func() {
			_, err := s.Transition(ctx, sub.ID, service.StatusSubmitted, accept)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, service.ErrStale):
				stale++
			default:
				t.Errorf("concurrent transition: %v", err)
			}
		})
	}
	wg.Wait()
	if won != 1 || stale != 7 {
		t.Fatalf("8 concurrent accepts: %d won, %d stale; want 1 and 7", won, stale)
	}
	got, err := s.Submission(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != service.StatusAccepted || got.ResultBy != "2026-12-30" || len(got.History) != 1 || got.History[0].Action != service.ActionAccept {
		t.Errorf("after accept: status %s, result by %s, history %+v", got.Status, got.ResultBy, got.History)
	}
}

// TestEmbeddedPushesDownOnlyID: the fact inStatus rests on. FerretDB's SQLite backend answers
// a filter of exactly {_id: value} by SQL and scans the collection for anything more, such as
// {_id, status} (explain's filterPushdown).
func TestEmbeddedPushesDownOnlyID(t *testing.T) {
	emb := startEmbedded(t, "", nil)
	s := openFresh(t, emb.URI(), emb.Options())
	ctx := context.Background()
	if err := s.InsertSubmission(ctx, sampleSubmission("a_explain", time.Now().UTC())); err != nil {
		t.Fatal(err)
	}
	pushed := func(filter bson.D) bool {
		var res struct {
			FilterPushdown bool `bson:"filterPushdown"`
		}
		cmd := bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: collApplications}, {Key: "filter", Value: filter}}}}
		if err := s.db.RunCommand(ctx, cmd).Decode(&res); err != nil {
			t.Fatal(err)
		}
		return res.FilterPushdown
	}
	if !pushed(bson.D{{Key: "_id", Value: "a_explain"}}) {
		t.Error("{_id} is not answered by SQL")
	}
	if pushed(bson.D{{Key: "_id", Value: "a_explain"}, {Key: "status", Value: "submitted"}}) {
		t.Error("{_id, status} is answered by SQL now: inStatus's read by _id is no longer needed")
	}
}

// BenchmarkTransitionAmong2000: one accept on the embedded store holding 2,000 applications,
// the write lock held throughout (what every submission waits for meanwhile).
//
//	go test ./service/mongostore -run '^$' -bench TransitionAmong2000 -benchtime 200x
func BenchmarkTransitionAmong2000(b *testing.B) {
	emb := startEmbedded(b, "", nil)
	ctx := context.Background()
	s, err := emb.Open(ctx, "roadcheck_bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(ctx) })
	at := time.Now().UTC()
	const stored = 2000
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < stored; i += 16 {
				if err := s.InsertSubmission(ctx, sampleSubmission(fmt.Sprintf("a_%05d", i), at)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	accept := service.Transition{To: service.StatusAccepted, Due: "2026-12-09",
		Entry: service.HistoryEntry{At: at, By: "reviewer", Action: service.ActionAccept, From: service.StatusSubmitted, To: service.StatusAccepted}}
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Transition(ctx, fmt.Sprintf("a_%05d", i%stored), service.StatusSubmitted, accept); err != nil && !errors.Is(err, service.ErrStale) {
			b.Fatal(err)
		}
	}
}
