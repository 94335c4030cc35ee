package service

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"time"
)

// ReplayChange is one stored application whose decision a candidate rulebook would change.
type ReplayChange struct {
	Application string   `json:"application"`
	Item        string   `json:"item"`
	AsOf        string   `json:"as_of"`
	PassBefore  bool     `json:"pass_before"`
	PassAfter   bool     `json:"pass_after"`
	Added       []string `json:"added"`   // CODE, CODE/material or CODE@field
	Removed     []string `json:"removed"` // likewise
	Error       string   `json:"error,omitempty"`
}

// ReplayReport says what a candidate rulebook would do to the stored applications.
type ReplayReport struct {
	Candidate string         `json:"candidate_revision"`
	Evaluated int            `json:"evaluated"`
	Changed   int            `json:"changed"`
	Changes   []ReplayChange `json:"changes"`
	Seconds   float64        `json:"seconds"`    // wall time of the replay, reading the store included
	PerSecond float64        `json:"per_second"` // applications replayed a second
}

// Replay re-evaluates stored applications, each on its stored (resolved) input as of its
// submission date, with the candidate rulebook, and reports every decision that would change,
// in the order each gives them. each calls its function for every stored application; the
// evaluations run on every CPU while it reads.
func Replay(ctx context.Context, candidate Rulebook, each func(func(Submission) error) error) (ReplayReport, error) {
	start := time.Now()
	rep := ReplayReport{Candidate: candidate.Revision(), Changes: []ReplayChange{}}
	type job struct {
		n   int
		sub Submission
	}
	type result struct {
		n   int
		ch  ReplayChange
		hit bool
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs, results := make(chan job), make(chan result)
	shaper := newInputShaper()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ch, hit, err := replayOne(ctx, shaper, candidate, j.sub)
				results <- result{j.n, ch, hit, err}
			}
		}()
	}
	var collected []result
	done := make(chan struct{})
	go func() {
		defer close(done)
		for r := range results {
			collected = append(collected, r)
		}
	}()
	n := 0
	err := each(func(sub Submission) error {
		select {
		case jobs <- job{n, sub}:
			n++
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	close(results)
	<-done
	sort.Slice(collected, func(a, b int) bool { return collected[a].n < collected[b].n })
	for _, r := range collected {
		if r.err != nil && err == nil {
			err = r.err
		}
		if r.hit {
			rep.Changed++
			rep.Changes = append(rep.Changes, r.ch)
		}
	}
	rep.Evaluated = len(collected)
	rep.Seconds = time.Since(start).Seconds()
	if rep.Seconds > 0 {
		rep.PerSecond = float64(rep.Evaluated) / rep.Seconds
	}
	if err == nil {
		err = ctx.Err()
	}
	return rep, err
}

// replayOne evaluates one stored application with the candidate; hit reports a change.
func replayOne(ctx context.Context, shaper *inputShaper, candidate Rulebook, sub Submission) (ch ReplayChange, hit bool, err error) {
	ch = ReplayChange{Application: sub.ID, Item: sub.Item, AsOf: sub.Decision.AsOf, PassBefore: sub.Decision.Pass}
	before := violationKeys(sub.Decision)
	app := sub.Input
	app.AsOf = sub.Decision.AsOf
	var after map[string]bool
	if !candidate.HasItem(app.Item) {
		ch.Error = fmt.Sprintf("the candidate does not know item %q", app.Item)
	} else if err := shaper.checkContract(candidate.Contract(), &app); err != nil {
		// A stored document the candidate's contract refuses would be refused at submission.
		e := AsError(err)
		ch.Error = fmt.Sprintf("%s %s: %s", e.Code, e.Field, e.MessageEN)
	} else if input, err := shaper.input(app); err != nil {
		return ch, false, err
	} else if out, err := candidate.Evaluate(ctx, input); err != nil {
		ch.Error = err.Error()
	} else {
		d := Decision{Violations: out.Violations, Pass: passes(out.Violations)}
		ch.PassAfter = d.Pass
		after = violationKeys(d)
	}
	for k := range after {
		if !before[k] {
			ch.Added = append(ch.Added, k)
		}
	}
	for k := range before {
		if !after[k] {
			ch.Removed = append(ch.Removed, k)
		}
	}
	sort.Strings(ch.Added)
	sort.Strings(ch.Removed)
	return ch, ch.Error != "" || len(ch.Added) > 0 || len(ch.Removed) > 0 || ch.PassBefore != ch.PassAfter, nil
}

// violationKeys identifies violations by code and what they concern (not by wording, so a
// reworded message is not a changed decision).
func violationKeys(d Decision) map[string]bool {
	keys := make(map[string]bool, len(d.Violations))
	for _, v := range d.Violations {
		k := v.Code
		if v.Material != "" {
			k += "/" + v.Material
		}
		if v.Field != "" {
			k += "@" + v.Field
		}
		keys[k] = true
	}
	return keys
}
