# The application being checked, read once per decision: the item's policy data, the applicant,
# the form and the registry records. Rules read these instead of input so that absent objects
# never make a rule error, and so that a record reported `found: false` simply does not exist
# here: every rule that needs the record is then silent and only *_NOT_FOUND is reported.
package roadcheck.lib.application

import data.roadcheck.lib.dates

item := data.data.items[input.item]

default applicant := {}

applicant := a if {
	a := input.applicant
	is_object(a)
}

default form := {}

form := f if {
	f := input.form
	is_object(f)
}

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
field_names contains f.name if some f in item.form_fields

# filled(x): a value counts as given; absent, null and blank strings do not.
filled(x) if {
	is_string(x)
	trim_space(x) != ""
}

filled(x) if {
	not is_string(x)
	x != null
}

# The certificate holder's ID number: from the registry record, or the applicant's own when the
# record carries none (the applicant must be the holder anyway, see APPLICANT_NOT_HOLDER).
holder_id_number := id if {
	id := qualification.holder_id_number
	regex.match(`^[0-9]{17}[0-9Xx]$`, id)
} else := id if {
	qualification
	id := applicant.id_number
	regex.match(`^[0-9]{17}[0-9Xx]$`, id)
}

# Birth date of the holder: digits 7-14 of the ID number, "YYYY-MM-DD".
holder_birth_date := concat("-", [substring(holder_id_number, 6, 4), substring(holder_id_number, 10, 2), substring(holder_id_number, 12, 2)])

# The holder's birthday at the age limit (60), as "YYYY-MM-DD". A 29 February birthday is kept
# as is: as a string it still sorts after 28 February and before 1 March of a common year,
# which is exactly the month-end-clamped comparison.
holder_limit_birthday := concat("-", [
	format_int(to_number(substring(holder_id_number, 6, 4)) + data.data.windows.holder_max_age_years, 10),
	substring(holder_id_number, 10, 2),
	substring(holder_id_number, 12, 2),
])

# "Over 60" starts the day after the 60th birthday (Civil Code Art. 1259: "over" excludes
# the number itself).
holder_over_age if input.as_of > holder_limit_birthday

# First day on which the holder counts as over the age limit (for messages).
over_age_since := dates.add_days(dates.add_years(holder_birth_date, data.data.windows.holder_max_age_years), 1)
