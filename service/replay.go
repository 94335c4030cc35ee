package service

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
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
// oldest submission first (then by id), whatever order each gives them in. each calls its
// function for every stored application; the evaluations run on every CPU while it reads.
// Only what is reported is kept, so a replay of years of applications holds the changes, not
// the applications.
func Replay(ctx context.Context, candidate Rulebook, each func(func(Submission) error) error) (ReplayReport, error) {
	start := time.Now()
	rep := ReplayReport{Candidate: candidate.Revision(), Changes: []ReplayChange{}}
	type change struct {
		at time.Time
		ch ReplayChange
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan Submission)
	shaper := newInputShaper()
	var (
		mu        sync.Mutex
		changes   []change
		evaluated int
		firstErr  error
		wg        sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for sub := range jobs {
				ch, hit, err := replayOne(ctx, shaper, candidate, sub)
				mu.Lock()
				evaluated++
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if hit {
					changes = append(changes, change{sub.SubmittedAt, ch})
				}
				mu.Unlock()
			}
		})
	}
	err := each(func(sub Submission) error {
		select {
		case jobs <- sub:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		err = firstErr
	}
	slices.SortFunc(changes, func(a, b change) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.ch.Application, b.ch.Application)
	})
	for _, c := range changes {
		rep.Changes = append(rep.Changes, c.ch)
	}
	rep.Changed = len(rep.Changes)
	rep.Evaluated = evaluated
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
	slices.Sort(ch.Added)
	slices.Sort(ch.Removed)
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
