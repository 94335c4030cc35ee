package roadcheck.lib.application_test

import data.roadcheck.lib.application as app
import data.roadcheck.lib.fixtures_test as fx

renewal := fx.valid_inputs.qualification_renewal

test_record_present_when_found if {
	app.qualification.number == "Q410100000001" with input as renewal
	app.qualification.number == "Q410100000001" with input as fx.put(renewal, "/qualification/found", true)
}

test_record_absent_when_not_found if {
	not app.qualification with input as fx.put(renewal, "/qualification", {"number": "Q1", "found": false})
	not app.qualification with input as fx.without(renewal, "/qualification")
	not app.qualification with input as fx.put(renewal, "/qualification", "Q1")
}

test_record_of_other_subject_is_ignored if {
	not app.vehicle with input as fx.put(renewal, "/vehicle", fx.vehicle)
	not app.qualification with input as fx.put(fx.valid_inputs.freight_annual_review, "/qualification", fx.qualification)
}

test_missing_objects_default_to_empty if {
	inp := fx.without(fx.without(renewal, "/applicant"), "/form")
	app.applicant == {} with input as inp
	app.form == {} with input as inp
}

test_filled if {
	app.filled("x")
	app.filled(0)
	app.filled(false)
	not app.filled("")
	not app.filled("   ")
	not app.filled(null)
}

test_holder_birth_date_from_record if {
	inp := fx.put(renewal, "/qualification/holder_id_number", "11010519491231002X")
	app.holder_birth_date == "1949-12-31" with input as inp
}

test_holder_birth_date_falls_back_to_applicant if {
	inp := fx.put(renewal, "/qualification/holder_id_number", "")
	app.holder_birth_date == "1980-05-17" with input as inp
	not app.holder_birth_date with input as fx.put(inp, "/qualification/found", false)
}

test_over_age_since_is_day_after_60th_birthday if {
	app.over_age_since == "2040-05-18" with input as renewal
}
