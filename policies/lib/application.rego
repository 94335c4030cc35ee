# The application being checked, read once per decision: the item's policy data, the applicant,
# the form and the registry records. Rules read these instead of input so that absent objects
# never make a rule error, and so that a record reported `found: false` simply does not exist
# here: every rule that needs the record is then silent and only *_NOT_FOUND is reported.
package roadcheck.lib.application

import data.roadcheck.lib.dates

item := data.data.items[input.item]

applicant := a if {
	a := input.applicant
	is_object(a)
} else := {}

form := f if {
	f := input.form
	is_object(f)
} else := {}

# The qualification certificate record, only when the registry knows it.
qualification := q if {
	item.subject == "qualification"
	q := input.qualification
	is_object(q)
	not q.found == false
}

# The vehicle record, only when the registry knows it.
vehicle := v if {
	item.subject == "vehicle"
	v := input.vehicle
	is_object(v)
	not v.found == false
}

# Names of the form fields this item asks for (each item reads only its own).
field_names := {f.name | some f in item.form_fields}

# filled(x): a value counts as given; absent, null and blank strings do not.
filled(x) := trim_space(x) != "" if {
	is_string(x)
} else := x != null

# Birth date of the certificate holder, digits 7-14 of the ID number: from the registry record,
# or from the applicant's own ID number when the record carries none that holds a valid date.
holder_birth_date := b if {
	b := birth_date_of(qualification.holder_id_number)
} else := b if {
	qualification
	b := birth_date_of(applicant.id_number)
}

birth_date_of(id) := b if {
	regex.match(`^[0-9]{17}[0-9Xx]$`, id)
	b := concat("-", [substring(id, 6, 4), substring(id, 10, 2), substring(id, 12, 2)])
	dates.valid(b)
}

# The holder's birthday at the age limit (60), as "YYYY-MM-DD". A 29 February birthday is kept
# as is: as a string it still sorts after 28 February and before 1 March of a common year,
# which is exactly the month-end-clamped comparison.
holder_limit_birthday := concat("", [
	format_int(to_number(substring(holder_birth_date, 0, 4)) + data.data.windows.holder_max_age_years, 10),
	substring(holder_birth_date, 4, 6),
])

# "Over 60" starts the day after the 60th birthday (Civil Code Art. 1259: "over" excludes
# the number itself).
holder_over_age if input.as_of > holder_limit_birthday

# First day on which the holder counts as over the age limit (for messages).
over_age_since := dates.add_days(dates.add_years(holder_birth_date, data.data.windows.holder_max_age_years), 1)
