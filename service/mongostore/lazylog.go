package mongostore

import (
	"context"
	"log/slog"
	"slices"
	"sync"
)

// lazyHandler puts off the work of WithAttrs and WithGroup until a record is written.
// FerretDB calls Logger.With with the arguments of every SQL statement (whole documents in
// its JSON form) and then logs at debug level; slog's text and JSON handlers format those
// attributes inside WithAttrs, before the level is consulted, so a logger at error level still
// quoted every stored document twice: a tenth of the CPU of a submission (BenchmarkSubmit32's
// profile). Here the attributes are only kept, and the wrapped handler formats them (resolving
// any LogValuer) the first time a record that passes the level needs them.
type lazyHandler struct {
	base  slog.Handler // decides Enabled: WithAttrs and WithGroup do not change the level
	steps []lazyStep   // the With calls since base, in order
	once  sync.Once
	h     slog.Handler // base with steps applied, set by once
}

// lazyStep is one WithAttrs (attrs) or WithGroup (group) call.
type lazyStep struct {
	attrs []slog.Attr
	group string
}

func newLazyHandler(h slog.Handler) *lazyHandler { return &lazyHandler{base: h} }

func (l *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.base.Enabled(ctx, level)
}

func (l *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	l.once.Do(func() {
		l.h = l.base
		for _, s := range l.steps {
			if s.group != "" {
				l.h = l.h.WithGroup(s.group)
			} else {
				l.h = l.h.WithAttrs(s.attrs)
			}
		}
	})
	return l.h.Handle(ctx, r)
}

func (l *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return l
	}
	// The handler owns attrs (slog.Handler's contract), so keeping them is allowed.
	return &lazyHandler{base: l.base, steps: append(slices.Clip(l.steps), lazyStep{attrs: attrs})}
}

func (l *lazyHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return l
	}
	return &lazyHandler{base: l.base, steps: append(slices.Clip(l.steps), lazyStep{group: name})}
}
