package service

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

func testCalendar(t testing.TB) *Calendar {
	t.Helper()
	// The calendar is policy data; the test reads the rulebook's own file so the two never drift.
	raw, err := os.ReadFile("../policies/data/calendar.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Calendar json.RawMessage `json:"calendar"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	c, err := ParseCalendar(file.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeadlines(t *testing.T) {
	c := testCalendar(t)
	tests := []struct {
		name               string
		submitted          string
		acceptBy, resultBy string
		provisional        bool
	}{
		// domain.md §4 examples.
		{"worked Saturday counts", "2026-02-12", "2026-02-14", "2026-02-26", false},
		{"national day holiday skipped", "2026-09-30", "2026-10-09", "2026-10-13", false},
		{"api.md example", "2026-11-23", "2026-11-25", "2026-11-30", false},
		{"start day not counted even if working", "2026-11-20", "2026-11-24", "2026-11-27", false},
		{"submitted on a holiday", "2026-01-01", "2026-01-05", "2026-01-08", false},
		{"beyond the calendar is provisional", "2027-03-01", "2027-03-03", "2027-03-08", true},
		{"crossing into an unpublished year", "2026-12-30", "2027-01-01", "2027-01-06", true},
		{"2025 spring festival", "2025-01-27", "2025-02-06", "2025-02-10", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.DeadlinesFrom(day(t, tt.submitted))
			want := Deadlines{AcceptBy: tt.acceptBy, ResultBy: tt.resultBy, Provisional: tt.provisional}
			if got != want {
				t.Errorf("DeadlinesFrom(%s) = %+v, want %+v", tt.submitted, got, want)
			}
		})
	}
}

func TestResultBy(t *testing.T) {
	c := testCalendar(t)
	got, prov := c.ResultBy(day(t, "2026-10-09"))
	if got != "2026-10-13" || prov {
		t.Errorf("ResultBy(2026-10-09) = %s, %v; want 2026-10-13, false", got, prov)
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := testCalendar(t)
	tests := []struct {
		date               string
		working, published bool
	}{
		{"2026-02-14", true, true},  // Saturday, worked (春节调休)
		{"2026-02-16", false, true}, // Monday, Spring Festival
		{"2026-10-10", true, true},  // Saturday, worked
		{"2026-11-28", false, true}, // ordinary Saturday
		{"2026-11-27", true, true},  // ordinary Friday
		{"2027-10-01", true, false}, // Friday, calendar not yet published
	}
	for _, tt := range tests {
		w, p := c.IsWorkingDay(day(t, tt.date))
		if w != tt.working || p != tt.published {
			t.Errorf("IsWorkingDay(%s) = %v, %v; want %v, %v", tt.date, w, p, tt.working, tt.published)
		}
	}
}

func TestParseCalendarRejectsBadData(t *testing.T) {
	bad := []string{
		`{`,
		`{"years":[2026],"holidays":[{"from":"2026-13-01","to":"2026-13-02"}],"accept_within_working_days":2,"result_within_working_days":3}`,
		`{"years":[2026],"holidays":[{"from":"2026-10-07","to":"2026-10-01"}],"accept_within_working_days":2,"result_within_working_days":3}`,
		`{"years":[2026],"worked_weekend_days":[{"date":"soon"}],"accept_within_working_days":2,"result_within_working_days":3}`,
		`{"years":[2026],"accept_within_working_days":0,"result_within_working_days":3}`,
	}
	for _, b := range bad {
		if _, err := ParseCalendar([]byte(b)); err == nil {
			t.Errorf("ParseCalendar(%s) succeeded, want an error", b)
		}
	}
}

// FuzzParseCalendar: calendar data is edited by hand; any bytes must parse or be refused,
// and a parsed calendar must always find a next working day.
func FuzzParseCalendar(f *testing.F) {
	f.Add([]byte(`{"years":[2026],"holidays":[{"from":"2026-10-01","to":"2026-10-07"}],"worked_weekend_days":[{"date":"2026-10-10"}],"accept_within_working_days":2,"result_within_working_days":3}`))
	f.Add([]byte(`{"years":[2026],"holidays":[{"from":"2026-01-01","to":"2026-12-31"}],"accept_within_working_days":2,"result_within_working_days":3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCalendar(b)
		if err != nil {
			return
		}
		start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		d := c.DeadlinesFrom(start)
		if d.AcceptBy <= start.Format(DateLayout) || d.ResultBy <= d.AcceptBy {
			t.Fatalf("deadlines %+v do not move forward from %s", d, start.Format(DateLayout))
		}
	})
}
