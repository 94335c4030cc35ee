package mongostore

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// countingValuer counts how often its value is asked for, that is, formatted.
type countingValuer struct{ n *int }

func (c countingValuer) LogValue() slog.Value {
	*c.n++
	return slog.StringValue("the-document")
}

// A record below the level never formats the attributes given to With; a written one does,
// with the attributes and groups in their order.
func TestLazyHandler(t *testing.T) {
	var buf bytes.Buffer
	text := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})

	// Why: slog's own handler formats With's attributes at once, dropped record or not.
	eager := 0
	slog.New(text).With(slog.Any("args", countingValuer{&eager})).Debug("dropped")
	if eager == 0 {
		t.Fatal("the text handler did not format With's attributes; the lazy handler is not needed")
	}

	n := 0
	l := slog.New(newLazyHandler(text)).With(slog.String("component", "ferretdb"))
	for range 3 {
		l.With(slog.Any("args", countingValuer{&n})).Debug(">>> INSERT")
	}
	if n != 0 || buf.Len() != 0 {
		t.Fatalf("dropped records: value formatted %d times, output %q", n, buf.String())
	}
	l.With(slog.Any("args", countingValuer{&n})).WithGroup("g").With(slog.Int("rows", 1)).Error("failed", slog.Bool("x", true))
	if n != 1 {
		t.Errorf("written record: value formatted %d times, want 1", n)
	}
	if out := buf.String(); !strings.Contains(out, `msg=failed component=ferretdb args=the-document g.rows=1 g.x=true`) {
		t.Errorf("written record = %q", out)
	}
	if l.Handler().Enabled(context.Background(), slog.LevelDebug) || !l.Handler().Enabled(context.Background(), slog.LevelInfo) {
		t.Error("Enabled differs from the wrapped handler's")
	}
}

// withCounter counts the WithAttrs calls that reach the handler it wraps.
type withCounter struct {
	slog.Handler
	n *atomic.Int64
}

func (w withCounter) WithAttrs(attrs []slog.Attr) slog.Handler {
	w.n.Add(1)
	return withCounter{w.Handler.WithAttrs(attrs), w.n}
}

func (w withCounter) WithGroup(name string) slog.Handler {
	return withCounter{w.Handler.WithGroup(name), w.n}
}

// The embedded store gives FerretDB the lazy handler: inserting through it at error level
// passes no With of FerretDB's to the logger's handler.
func TestEmbeddedLogsLazily(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	var n atomic.Int64
	var buf bytes.Buffer
	h := withCounter{slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelError}), &n}
	s := openEmbedded(t, "", slog.New(h))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	before := n.Load()
	for i := range 5 {
		sub := service.Submission{ID: "a_" + string(rune('0'+i)), Portal: "p", ApplicantID: "x", Status: service.StatusSubmitted}
		if err := s.InsertSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	if d := n.Load() - before; d != 0 {
		t.Errorf("5 inserts reached the handler's WithAttrs %d times, want 0", d)
	}
}
