package service

import (
	"testing"
	"time"
)

func TestAddMonthsClamped(t *testing.T) {
	for _, tt := range []struct {
		from   string
		months int
		want   string
	}{
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2025-12-01", 12, "2026-12-01"},
		{"2026-08-31", 1, "2026-09-30"},
	} {
		from, _ := time.Parse(DateLayout, tt.from)
		if got := addMonthsClamped(from, tt.months).Format(DateLayout); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

func TestAssessmentCycle(t *testing.T) {
	for _, tt := range []struct {
		first, asOf            string
		start, end, validUntil string
		wantErr                bool
	}{
		// Window of cycle 6: 2026-12-01 … 2026-12-21.
		{"2020-12-01", "2026-12-01", "2025-12-01", "2026-12-01", "2027-12-21", false},
		{"2020-12-01", "2026-12-21", "2025-12-01", "2026-12-01", "2027-12-21", false},
		{"2020-12-01", "2026-12-22", "", "", "", true},
		{"2020-12-01", "2026-11-30", "", "", "", true},
		{"2020-02-29", "2021-03-01", "2020-02-29", "2021-02-28", "2022-03-20", false},
	} {
		start, end, until, err := assessmentCycle(tt.first, tt.asOf)
		if (err != nil) != tt.wantErr || start != tt.start || end != tt.end || until != tt.validUntil {
			t.Errorf("assessmentCycle(%s, %s) = %s %s %s %v", tt.first, tt.asOf, start, end, until, err)
		}
	}
}
