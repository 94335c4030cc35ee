# Calendar-date arithmetic on "YYYY-MM-DD" strings.
# Dates are civil dates (Asia/Shanghai); UTC midnight is only a neutral carrier, so no time-zone
# shift can move a date. Comparisons are written positively (before/after/on_or_*), so a malformed
# date makes a check undefined (the rule does not fire) instead of silently true.
package roadcheck.lib.dates

layout := "2006-01-02"

day_ns := ((24 * 60) * 60) * 1000000000

month_days := [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# ns(s): nanoseconds of the date at UTC midnight; undefined when s is not a valid date.
ns(s) := time.parse_ns(layout, s) if is_string(s)

valid(s) if ns(s)

format(n) := time.format([n, "UTC", layout])

# add_days(s, n): s plus n calendar days (n may be negative).
add_days(s, n) := format(ns(s) + (n * day_ns))

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
add_months(s, n) := sprintf("%04d-%02d-%02d", [y, m, d]) if {
	[y0, m0, d0] := time.date(ns(s))
	total := ((y0 * 12) + (m0 - 1)) + n
	y := floor(total / 12)
	m := (total - (y * 12)) + 1
	d := min([d0, days_in_month(y, m)])
}

add_years(s, n) := add_months(s, n * 12)

year(s) := time.date(ns(s))[0]

# months_between(a, b): whole calendar months from a's month to b's month (days ignored).
months_between(a, b) := ((yb - ya) * 12) + (mb - ma) if {
	[ya, ma, _] := time.date(ns(a))
	[yb, mb, _] := time.date(ns(b))
}

before(a, b) if ns(a) < ns(b)

after(a, b) if ns(a) > ns(b)

on_or_before(a, b) if ns(a) <= ns(b)

on_or_after(a, b) if ns(a) >= ns(b)
