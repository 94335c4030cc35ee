package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/roadcheck/roadcheck/service"
)

// replay re-evaluates the stored applications with a candidate policy directory: exit 0 when
// no decision changes, 1 when some do, 2 on bad input.
func replay(ctx context.Context, p proc, args []string) error {
	f := newFlags("replay", p)
	dir := f.String("policies", "", "candidate policy directory (required)")
	var sc storeConfig
	storeFlags(f, &sc, "data directory of the embedded store; the service must be stopped")
	asJSON := f.Bool("json", false, "print the report as JSON")
	ev := evalFlag(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if *dir == "" || f.NArg() > 0 {
		return usageErr("replay: usage: roadcheck replay --policies DIR [--data DIR | --mongo-uri URI] [--json]")
	}
	// The candidate is compiled but its tests are not required to pass: seeing what a
	// half-finished change would do is the point of a replay.
	book, err := loadPolicies(ctx, *dir, false, *ev)
	if err != nil {
		return err
	}
	store, closeStore, err := openStore(ctx, "replay", sc, storeOptions{busyHint: "stop the service, or replay a copy of its data directory"})
	if err != nil {
		return err
	}
	defer closeStore()

	rep, err := service.Replay(ctx, book, func(fn func(service.Submission) error) error {
		return store.EachSubmission(ctx, fn)
	})
	if err != nil {
		return exitErr(2, err) // 1 means "decisions change"
	}
	if *asJSON {
		err = printJSON(p.stdout, rep)
	} else {
		printReplay(p.stdout, rep)
	}
	if err == nil && rep.Changed > 0 {
		return exitErr(1, errSilent)
	}
	return err
}

func printReplay(w io.Writer, rep service.ReplayReport) {
	fmt.Fprintf(w, "candidate %s\n%d applications evaluated in %.1f s (%.0f a second), %d decisions change\n",
		rep.Candidate, rep.Evaluated, rep.Seconds, rep.PerSecond, rep.Changed)
	for _, c := range rep.Changes {
		verdict := ""
		if c.PassBefore != c.PassAfter {
			verdict = fmt.Sprintf(" (pass %v → %v)", c.PassBefore, c.PassAfter)
		}
		fmt.Fprintf(w, "\n%s  %s  as of %s%s\n", c.Application, c.Item, c.AsOf, verdict)
		if c.Error != "" {
			fmt.Fprintf(w, "  error: %s\n", c.Error)
		}
		if len(c.Added) > 0 {
			fmt.Fprintf(w, "  + %s\n", strings.Join(c.Added, "\n  + "))
		}
		if len(c.Removed) > 0 {
			fmt.Fprintf(w, "  - %s\n", strings.Join(c.Removed, "\n  - "))
		}
	}
}
