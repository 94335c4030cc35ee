# The application being checked, read once per decision: the item's policy data, the applicant,
# the form and the registry records. Rules read these instead of input so that absent objects
# never make a rule error, and so that a record reported `found: false` simply does not exist
# here: every rule that needs the record is then silent and only *_NOT_FOUND is reported.
package roadcheck.lib.application

import data.roadcheck.lib.dates
import data.roadcheck.lib.ids

item := data.data.items[input.item]

as_of := input.as_of

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

# filled(x): a value counts as given (absent, null and blank strings do not).
filled(x) if {
	is_string(x)
	trim_space(x) != ""
}

filled(x) if {
	not is_string(x)
	not is_null(x)
}

# Birth date of the certificate holder (GB 11643 digits 7-14): from the registry record, or from
# the applicant's own ID number when the record carries no valid one.
holder_birth_date := ids.birth_date(qualification.holder_id_number) if {
	ids.valid_id_number(qualification.holder_id_number, as_of)
} else := ids.birth_date(applicant.id_number) if {
	qualification
	ids.valid_id_number(applicant.id_number, as_of)
}

# First day on which the holder is "over 60": the day after the 60th birthday
# (Civil Code Art. 1259: "over" excludes the number itself).
over_age_since := dates.add_days(dates.add_years(holder_birth_date, data.data.windows.holder_max_age_years), 1)
