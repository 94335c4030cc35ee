package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// TestGradeOnlyOnApprove: accept, reject and deny refuse a grade (INVALID_FIELD on grade, in
// Chinese and English) and leave the application as it was, on an integrity assessment (the
// graded item) as on any other; without the grade the same action goes through, and only the
// approval records a grade.
func TestGradeOnlyOnApprove(t *testing.T) {
	w := newWorkflow(t)
	// The integrity assessment window of the fixture opens on 2026-12-01.
	w.clock.set(time.Date(2026, 12, 5, 10, 0, 0, 0, service.ChinaTime))
	submit := func(item string) string {
		t.Helper()
		res, err := w.svc.Submit(portalA, readApplication(t, "../samples/"+item+"_pass.json"), "")
		if err != nil || res.Submission == nil {
			t.Fatalf("%s: %v %+v", item, err, res.Decision.Violations)
		}
		return res.Submission.ID
	}
	assess, renewal := submit("driver_integrity_assessment"), submit("qualification_renewal")
	tests := []struct {
		name   string
		id     string
		action service.Action
		reason string
		grade  string
		then   service.Status // after the same action without the grade ("": not taken)
	}{
		{"reject an assessment", assess, service.ActionReject, "材料不全", "AA", ""},
		{"accept an assessment", assess, service.ActionAccept, "", "AA", service.StatusAccepted},
		{"deny an assessment", assess, service.ActionDeny, "未按期参加考核", "B", ""},
		{"deny with an unknown grade", assess, service.ActionDeny, "未按期参加考核", "AAAA", ""},
		{"accept a renewal", renewal, service.ActionAccept, "", "A", service.StatusAccepted},
		{"deny a renewal", renewal, service.ActionDeny, "证件过期", "AAA", service.StatusDenied},
		{"reject with a blank grade", renewal, service.ActionReject, "材料不全", " ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, err := w.store.Submission(context.Background(), tc.id)
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.svc.Review(reviewer, tc.id, tc.action, tc.reason, tc.grade)
			e := service.AsError(err)
			if e == nil || e.Code != service.CodeInvalidField || e.Field != "grade" ||
				!strings.Contains(e.Message, "仅审验通过时可给出等级") || !strings.Contains(e.MessageEN, "approv") {
				t.Fatalf("%s with grade %q = %+v, want INVALID_FIELD on grade", tc.action, tc.grade, e)
			}
			after, err := w.store.Submission(context.Background(), tc.id)
			if err != nil || after.Status != before.Status || len(after.History) != len(before.History) || after.Grade != "" {
				t.Errorf("the refused %s changed the application: %s → %s, %d → %d history entries, grade %q (%v)",
					tc.action, before.Status, after.Status, len(before.History), len(after.History), after.Grade, err)
			}
			if tc.then == "" {
				return
			}
			s, err := w.svc.Review(reviewer, tc.id, tc.action, tc.reason, "")
			if err != nil || s.Status != tc.then {
				t.Fatalf("%s without a grade = %+v %v, want %s", tc.action, s.Status, err, tc.then)
			}
		})
	}
	s, err := w.svc.Review(reviewer, assess, service.ActionApprove, "", "AA")
	if err != nil || s.Status != service.StatusApproved || s.Grade != "AA" {
		t.Fatalf("approve with a grade: %+v %v", s, err)
	}
	for _, h := range s.History {
		if (h.Grade != "") != (h.Action == service.ActionApprove) {
			t.Errorf("history entry %s carries grade %q", h.Action, h.Grade)
		}
	}
}
