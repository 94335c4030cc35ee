package roadcheck.items.qualification_renewal_test

import data.roadcheck.lib.fixtures_test as fx

# Certificate expires 2026-12-01; holder born 1980-05-17.
valid_input := fx.valid_inputs.qualification_renewal

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

# RENEWAL_TOO_EARLY: renewal opens expires - 30 days = 2026-11-01

test_too_early_day_before_opening if {
	v := fx.one(fx.put(valid_input, "/as_of", "2026-10-31"), "RENEWAL_TOO_EARLY")
	v == {
		"code": "RENEWAL_TOO_EARLY",
		"severity": "error",
		"message": "未到换证时间：有效期届满前30日内方可申请换证",
		"message_en": "Too early to renew; renewal opens 30 days before expiry",
		"basis": "《道路运输从业人员管理规定》第二十九条",
		"fix": "请于2026-11-01起申请",
		"field": "qualification.expires",
		"material": "",
		"params": {"opens_on": "2026-11-01"},
	}
}

test_not_too_early_on_opening_day if {
	fx.violations(fx.put(valid_input, "/as_of", "2026-11-01")) == set()
}

# RENEWAL_TOO_LATE: day 180 after expiry (2027-05-30) is the last day; day 181 is too late

test_too_late_on_day_181 if {
	v := fx.one(fx.put(valid_input, "/as_of", "2027-05-31"), "RENEWAL_TOO_LATE")
	v.field == "qualification.expires"
	v.params == {"last_day": "2027-05-30"}
	v.basis == "《道路运输从业人员管理规定》第三十二条"
}

test_not_too_late_on_day_180 if {
	fx.violations(fx.put(valid_input, "/as_of", "2027-05-30")) == set()
}

# HOLDER_OVER_AGE: holder born 1966-03-01 turns 60 on 2026-03-01 and is over 60 from 2026-03-02

over_age_input := fx.put(
	fx.put(fx.put(valid_input, "/applicant/id_number", "410105196603010015"), "/qualification/holder_id_number", "410105196603010015"),
	"/qualification/expires", "2026-03-20",
)

test_over_age_day_after_60th_birthday if {
	v := fx.one(fx.put(over_age_input, "/as_of", "2026-03-02"), "HOLDER_OVER_AGE")
	v.field == "qualification.holder_id_number"
	v.params == {"over_age_since": "2026-03-02"}
	v.message == "持证人年龄超过60周岁，不予换证"
}

test_not_over_age_on_60th_birthday if {
	fx.violations(fx.put(over_age_input, "/as_of", "2026-03-01")) == set()
}

test_over_age_needs_the_record if {
	inp := fx.put(fx.put(over_age_input, "/as_of", "2026-03-02"), "/qualification", {"number": "Q1", "found": false})
	not "HOLDER_OVER_AGE" in fx.codes(inp)
}

# Several defects are reported together (Administrative Licensing Law Art. 32).

test_all_defects_at_once if {
	inp := fx.put(fx.put(fx.without(valid_input, "/form/delivery"), "/as_of", "2026-10-20"), "/materials", [fx.photo])
	codes := fx.codes(inp)
	codes == {"RENEWAL_TOO_EARLY", "FIELD_REQUIRED", "MATERIAL_MISSING"}
	count(fx.found(inp, "MATERIAL_MISSING")) == 4
}
