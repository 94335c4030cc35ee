package service

import (
	"encoding/json"
	"fmt"
	"time"
)

// DateLayout is the calendar-date format of the API.
const DateLayout = "2006-01-02"

// Calendar counts working days: weekdays, minus statutory holidays, plus the make-up working
// weekend days (调休) of the State Council notices. Dates outside the published years fall back
// to Monday–Friday and are reported as provisional.
type Calendar struct {
	years    map[int]bool
	off      map[string]bool
	worked   map[string]bool
	accept   int
	decision int
}

// calendarData is the shape of policies/data/calendar.json.
type calendarData struct {
	Years    []int `json:"years"`
	Holidays []struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"holidays"`
	WorkedWeekendDays []struct {
		Date string `json:"date"`
	} `json:"worked_weekend_days"`
	AcceptWithin int `json:"accept_within_working_days"`
	ResultWithin int `json:"result_within_working_days"`
}

// ParseCalendar reads the calendar policy data.
func ParseCalendar(raw []byte) (*Calendar, error) {
	var d calendarData
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	if d.AcceptWithin <= 0 || d.ResultWithin <= 0 {
		return nil, fmt.Errorf("calendar: accept_within_working_days and result_within_working_days must be positive")
	}
	c := &Calendar{years: map[int]bool{}, off: map[string]bool{}, worked: map[string]bool{},
		accept: d.AcceptWithin, decision: d.ResultWithin}
	for _, y := range d.Years {
		c.years[y] = true
	}
	for _, h := range d.Holidays {
		from, err := time.Parse(DateLayout, h.From)
		if err != nil {
			return nil, fmt.Errorf("calendar: holiday from %q: %w", h.From, err)
		}
		to, err := time.Parse(DateLayout, h.To)
		if err != nil || to.Before(from) {
			return nil, fmt.Errorf("calendar: holiday to %q is not a date on or after %s", h.To, h.From)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			c.off[d.Format(DateLayout)] = true
		}
	}
	for _, w := range d.WorkedWeekendDays {
		day, err := time.Parse(DateLayout, w.Date)
		if err != nil {
			return nil, fmt.Errorf("calendar: worked day %q: %w", w.Date, err)
		}
		c.worked[day.Format(DateLayout)] = true
	}
	return c, nil
}

// IsWorkingDay reports whether day is a working day, and whether the answer comes from the
// published calendar (false means the Monday–Friday fallback was used).
func (c *Calendar) IsWorkingDay(day time.Time) (working, published bool) {
	key := day.Format(DateLayout)
	published = c.years[day.Year()]
	switch {
	case published && c.off[key]:
		return false, true
	case published && c.worked[key]:
		return true, true
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday, published
}

// AddWorkingDays returns the n-th working day after start (the start day is not counted) and
// whether any day it looked at was outside the published calendar.
func (c *Calendar) AddWorkingDays(start time.Time, n int) (time.Time, bool) {
	day := start
	provisional := !c.years[start.Year()]
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		working, published := c.IsWorkingDay(day)
		if !published {
			provisional = true
		}
		if working {
			n--
		}
	}
	return day, provisional
}

// Deadlines are the working-day deadlines of a submission.
type Deadlines struct {
	AcceptBy    string `json:"accept_by"`
	ResultBy    string `json:"result_by"`
	Provisional bool   `json:"provisional"`
}

// DeadlinesFrom gives the deadlines for an application submitted on submitted: acceptance
// within the accept window, a result within the decision window after acceptance (assumed on
// the acceptance deadline).
func (c *Calendar) DeadlinesFrom(submitted time.Time) Deadlines {
	accept, p1 := c.AddWorkingDays(submitted, c.accept)
	result, p2 := c.AddWorkingDays(accept, c.decision)
	return Deadlines{AcceptBy: accept.Format(DateLayout), ResultBy: result.Format(DateLayout), Provisional: p1 || p2}
}

// ResultBy gives the result deadline for an application accepted on accepted.
func (c *Calendar) ResultBy(accepted time.Time) (string, bool) {
	d, p := c.AddWorkingDays(accepted, c.decision)
	return d.Format(DateLayout), p
}
