package service

import (
	"context"
	"fmt"
	"sort"
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
}

// Replay re-evaluates stored applications, each on its stored (resolved) input as of its
// submission date, with the candidate rulebook, and reports every decision that would change.
// each calls its function for every stored application.
func Replay(ctx context.Context, candidate Rulebook, each func(func(Submission) error) error) (ReplayReport, error) {
	rep := ReplayReport{Candidate: candidate.Revision(), Changes: []ReplayChange{}}
	err := each(func(sub Submission) error {
		rep.Evaluated++
		ch := ReplayChange{Application: sub.ID, Item: sub.Item, AsOf: sub.Decision.AsOf, PassBefore: sub.Decision.Pass}
		before := violationKeys(sub.Decision)
		app := sub.Input
		app.AsOf = sub.Decision.AsOf
		var after map[string]bool
		if !candidate.HasItem(app.Item) {
			ch.Error = fmt.Sprintf("the candidate does not know item %q", app.Item)
		} else if err := checkContract(candidate.Contract(), &app); err != nil {
			// A stored document the candidate's contract refuses would be refused at submission.
			e := AsError(err)
			ch.Error = fmt.Sprintf("%s %s: %s", e.Code, e.Field, e.MessageEN)
		} else if input, err := app.regoInput(); err != nil {
			return err
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
		if ch.Error != "" || len(ch.Added) > 0 || len(ch.Removed) > 0 || ch.PassBefore != ch.PassAfter {
			sort.Strings(ch.Added)
			sort.Strings(ch.Removed)
			rep.Changed++
			rep.Changes = append(rep.Changes, ch)
		}
		return ctx.Err()
	})
	return rep, err
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
