package roadcheck.lib.dates_test

import data.roadcheck.lib.dates

test_add_days if {
	dates.add_days("2026-12-01", -30) == "2026-11-01"
	dates.add_days("2026-12-01", 180) == "2027-05-30"
	dates.add_days("2024-02-28", 1) == "2024-02-29"
	dates.add_days("2025-12-31", 1) == "2026-01-01"
}

test_floor_rem_is_floored_for_negatives if {
	dates.floor_rem(25, 12) == 1
	dates.floor_rem(24, 12) == 0
	dates.floor_rem(-1, 12) == 11
	dates.floor_rem(-12, 12) == 0
	dates.floor_rem(-13, 12) == 11
}

test_add_months_across_years_both_ways if {
	dates.add_months("2026-12-15", 1) == "2027-01-15"
	dates.add_months("2026-01-15", -1) == "2025-12-15"
	dates.add_months("2026-01-15", -13) == "2024-12-15"
	dates.add_months("2026-06-15", 0) == "2026-06-15"
}

test_add_months_clamps_to_month_end if {
	dates.add_months("2026-01-31", 1) == "2026-02-28"
	dates.add_months("2024-01-31", 1) == "2024-02-29"
	dates.add_months("2025-12-31", 2) == "2026-02-28"
	dates.add_months("2026-03-31", -1) == "2026-02-28"
	dates.add_months("2025-08-31", 1) == "2025-09-30"
}

test_add_months_plain if {
	dates.add_months("2020-12-01", 12) == "2021-12-01"
	dates.add_months("2020-12-15", 1) == "2021-01-15"
	dates.add_months("2020-01-15", 0) == "2020-01-15"
}

test_add_years_leap_day if {
	dates.add_years("2020-02-29", 1) == "2021-02-28"
	dates.add_years("1964-02-29", 60) == "2024-02-29"
	dates.add_years("1980-05-17", 60) == "2040-05-17"
}

test_leap_years if {
	dates.leap(2024)
	dates.leap(2000)
	not dates.leap(1900)
	not dates.leap(2026)
	dates.days_in_month(2024, 2) == 29
	dates.days_in_month(2026, 2) == 28
	dates.days_in_month(2026, 4) == 30
}

test_valid if {
	dates.valid("2026-02-28")
	dates.valid("2024-02-29")
	not dates.valid("2026-02-29")
	not dates.valid("2026-02-30")
	not dates.valid("2026-2-1")
	not dates.valid(input.d) with input as {"d": 20260201}
	not dates.add_days("bad", 1)
	not dates.add_months("bad", 1)
}

test_parse_and_format if {
	dates.parse("2026-11-01") == [2026, 11, 1]
	not dates.parse("2026-11-31")
	dates.format(dates.ns("2026-11-01")) == "2026-11-01"
}

test_months_between_and_year if {
	dates.months_between("2020-12-01", "2026-01-10") == 61
	dates.months_between("2026-01-10", "2020-12-01") == -61
	dates.year("2026-03-10") == 2026
	not dates.year("2026-13-10")
	not dates.months_between("2020-12-01", "bad")
}

# Fail closed: every helper is undefined on a value that is not a real YYYY-MM-DD date, so a
# rule built on it cannot fire on such a value (rules/facts.rego then fails the decision).
malformed_dates := ["not-a-date", "", "2026-13-45", "2026-02-30", "2025-02-29", "2026-1-05", 20261201, null, true]

test_ns_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.ns(s)
	}
}

test_parse_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.parse(s)
	}
}

test_valid_false_on_malformed if {
	every s in malformed_dates {
		not dates.valid(s)
	}
}

test_add_days_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.add_days(s, 1)
	}
}

test_add_months_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.add_months(s, 1)
	}
}

test_add_years_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.add_years(s, 1)
	}
}

test_year_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.year(s)
	}
}

test_months_between_undefined_on_malformed if {
	every s in malformed_dates {
		not dates.months_between(s, "2026-12-01")
		not dates.months_between("2026-12-01", s)
	}
}
