package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// replay re-evaluates the stored applications with a candidate policy directory: exit 0 when
// no decision changes, 1 when some do, 2 on bad input.
func replay(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("replay", stdout)
	dir := fs.String("policies", "", "candidate policy directory (required)")
	data := fs.String("data", envDefault(getenv, "ROADCHECK_DATA", "./data"), "data directory of the embedded store (env ROADCHECK_DATA)")
	uri := fs.String("mongo-uri", getenv("ROADCHECK_MONGO_URI"), "MongoDB connection string instead of the embedded store (env ROADCHECK_MONGO_URI)")
	database := fs.String("database", envDefault(getenv, "ROADCHECK_DATABASE", "roadcheck"), "database name (env ROADCHECK_DATABASE)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return exitErr(2, errors.New("replay: usage: roadcheck replay --policies DIR [--data DIR | --mongo-uri URI] [--json]"))
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		return exitErr(2, fmt.Errorf("replay: --policies %s is not a directory", *dir))
	}
	// The candidate is compiled but its tests are not required to pass: seeing what a
	// half-finished change would do is the point of a replay.
	book, err := policies.Load(ctx, os.DirFS(*dir))
	if err != nil {
		return exitErr(2, err)
	}

	store, closeStore, err := openToolStore(ctx, "replay", *data, *uri, *database, "stop the service, or replay a copy of its data directory")
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
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReplay(stdout, rep)
	}
	if rep.Changed > 0 {
		return exitErr(1, errSilent)
	}
	return nil
}

func printReplay(w io.Writer, rep service.ReplayReport) {
	fmt.Fprintf(w, "candidate %s\n%d applications evaluated, %d decisions change\n", rep.Candidate, rep.Evaluated, rep.Changed)
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
