package service

import (
	"context"
	"errors"
	"testing"
	"time"
)

// probeStore is a store whose writes fail or succeed on demand.
type probeStore struct {
	Offline
	probeErr, lastErr error
	probes            int
}

func (p *probeStore) ProbeWrite(context.Context) error {
	p.probes++
	if p.probeErr == nil {
		p.lastErr = nil // a successful write clears the store's last failure
	}
	return p.probeErr
}

func (p *probeStore) LastWriteError() error { return p.lastErr }

// TestReadyFollowsWrites: Ready fails after a write failure the store reports and while the
// write probe fails, recovers once a probe succeeds, and probes at most every probeInterval.
func TestReadyFollowsWrites(t *testing.T) {
	st := &probeStore{}
	s := &roadcheck{store: st}
	ctx := context.Background()
	if _, err := s.Ready(ctx); err != nil {
		t.Fatalf("healthy: %v", err)
	}
	if _, err := s.Ready(ctx); err != nil || st.probes != 1 {
		t.Fatalf("second check: %v, %d probes (want 1: within the interval)", err, st.probes)
	}
	// A real write fails: not ready, without waiting for the next probe.
	st.lastErr = errors.New("write: not primary")
	if _, err := s.Ready(ctx); AsError(err).Code != CodeStoreUnavailable {
		t.Fatalf("after a write failure: %v", err)
	}
	// The store stays unwritable: the next probe fails, and keeps failing.
	st.probeErr = errors.New("disk full")
	s.probe.at = time.Now().Add(-probeInterval)
	if _, err := s.Ready(ctx); err == nil || st.probes != 2 {
		t.Fatalf("probe failing: %v, %d probes", err, st.probes)
	}
	// It recovers: the next probe (a second later after a failure) succeeds and clears it.
	st.probeErr = nil
	s.probe.at = time.Now().Add(-probeRetry)
	if _, err := s.Ready(ctx); err != nil || st.probes != 3 {
		t.Fatalf("recovered: %v, %d probes", err, st.probes)
	}
}
