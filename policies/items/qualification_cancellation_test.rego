package roadcheck.items.qualification_cancellation_test

import data.roadcheck.lib.fixtures_test as fx

# Certificate expires 2026-12-01; holder born 1980-05-17; reason holder_request.
valid_input := fx.valid_inputs.qualification_cancellation

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

# ALREADY_CANCELLED

test_already_cancelled if {
	inp := fx.put(valid_input, "/qualification/status", "cancelled")
	v := fx.one(inp, "ALREADY_CANCELLED")
	v.field == "qualification.status"
	v.basis == "《道路运输从业人员管理规定》第三十二条"
	fx.codes(inp) == {"ALREADY_CANCELLED"}
}

test_other_status_not_already_cancelled if {
	fx.violations(fx.put(valid_input, "/qualification/status", "revoked")) == set()
}

# CANCELLATION_REASON_UNSUPPORTED: over_age

over_age := fx.put(
	fx.put(fx.put(valid_input, "/applicant/id_number", "410105196603010015"), "/qualification/holder_id_number", "410105196603010015"),
	"/form/reason", "over_age",
)

test_over_age_on_60th_birthday_unsupported if {
	v := fx.one(fx.put(over_age, "/as_of", "2026-03-01"), "CANCELLATION_REASON_UNSUPPORTED")
	v.field == "form.reason"
	v.params == {"reason": "over_age", "eligible_on": "2026-03-02"}
	v.message == "注销原因不成立：年龄超过60周岁"
}

test_over_age_day_after_60th_birthday_supported if {
	fx.violations(fx.put(over_age, "/as_of", "2026-03-02")) == set()
}

# CANCELLATION_REASON_UNSUPPORTED: expired_over_180_days (day 181 after 2026-12-01 is 2027-05-31)

expired := fx.put(valid_input, "/form/reason", "expired_over_180_days")

test_expired_day_180_unsupported if {
	v := fx.one(fx.put(expired, "/as_of", "2027-05-30"), "CANCELLATION_REASON_UNSUPPORTED")
	v.params == {"reason": "expired_over_180_days", "eligible_on": "2027-05-31"}
}

test_expired_day_181_supported if {
	fx.violations(fx.put(expired, "/as_of", "2027-05-31")) == set()
}

test_other_reasons_have_no_date_condition if {
	fx.violations(fx.put(valid_input, "/form/reason", "driving_licence_revoked")) == set()
}
