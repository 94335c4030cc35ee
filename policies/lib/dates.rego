# Calendar-date arithmetic on "YYYY-MM-DD" strings.
# Dates are civil dates (Asia/Shanghai); UTC midnight is only a neutral carrier, so no time-zone
# shift can move a date. Two well-formed "YYYY-MM-DD" strings compare correctly as strings, so
# rules compare dates with < and > directly; these functions are for arithmetic and validity.
# A malformed date makes a function undefined, so the rule using it does not fire.
package roadcheck.lib.dates

layout := "2006-01-02"

day_ns := ((24 * 60) * 60) * 1000000000

month_days := [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# ns(s): nanoseconds of the date at UTC midnight; undefined when s is not a valid date.
ns(s) := time.parse_ns(layout, s)

# parse(s): [year, month, day] of a valid date.
parse(s) := time.date(time.parse_ns(layout, s))

valid(s) if is_number(time.parse_ns(layout, s))

format(n) := time.format([n, "UTC", layout])

# add_days(s, n): s plus n calendar days (n may be negative).
add_days(s, n) := time.format([time.parse_ns(layout, s) + (n * day_ns), "UTC", layout])

leap(y) if {
	y % 4 == 0
	y % 100 != 0
}

leap(y) if y % 400 == 0

days_in_month(y, m) := 29 if {
	m == 2
	leap(y)
} else := month_days[m - 1]

# add_months(s, n): s plus n months, clamped to the last day of the target month
# (2026-01-31 + 1 month = 2026-02-28). OPA's time.add_date would roll over to March instead.
add_months(s, n) := sprintf("%04d-%02d-%02d", [y, m, min([d0, days_in_month(y, m)])]) if {
	[y0, m0, d0] := time.date(time.parse_ns(layout, s))
	total := ((y0 * 12) + (m0 - 1)) + n
	r := floor_rem(total, 12)
	y := (total - r) / 12
	m := r + 1
}

# floor_rem(a, b): a - b * floor(a / b) for integers a and b > 0 (in [0, b), also for a < 0),
# so that (a - floor_rem(a, b)) / b is floor(a / b) computed on integers: a division with a
# remainder goes through OPA's arbitrary-precision floats, about 20,000 instructions.
floor_rem(a, b) := ((a % b) + b) % b

add_years(s, n) := add_months(s, n * 12)

year(s) := to_number(substring(s, 0, 4)) if valid(s)

# months_between(a, b): whole calendar months from a's month to b's month (days ignored).
months_between(a, b) := ((to_number(substring(b, 0, 4)) - to_number(substring(a, 0, 4))) * 12) + (to_number(substring(b, 5, 2)) - to_number(substring(a, 5, 2))) if {
	valid(a)
	valid(b)
}
