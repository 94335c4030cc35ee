package roadcheck.items.freight_annual_review_test

import data.roadcheck.lib.fixtures_test as fx

# as_of 2026-03-10; last review passed 2025-03-01.
valid_input := fx.valid_inputs.freight_annual_review

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

# ANNUAL_REVIEW_NOT_ONLINE

test_dangerous_goods_not_online if {
	v := fx.one(fx.put(valid_input, "/vehicle/dangerous_goods", true), "ANNUAL_REVIEW_NOT_ONLINE")
	v.field == "vehicle.dangerous_goods"
}

test_ordinary_freight_online if {
	not "ANNUAL_REVIEW_NOT_ONLINE" in fx.codes(fx.without(valid_input, "/vehicle/dangerous_goods"))
}

# ANNUAL_REVIEW_ALREADY_DONE: a review already passed in as_of's calendar year

test_already_reviewed_this_year if {
	v := fx.one(fx.put(valid_input, "/vehicle/last_review", "2026-01-01"), "ANNUAL_REVIEW_ALREADY_DONE")
	v.field == "vehicle.last_review"
	v.params == {"last_review": "2026-01-01", "opens_on": "2027-01-01"}
	v.fix == "该车辆已于2026-01-01通过本年度审验，请于2027-01-01起申请下一年度审验"
}

test_reviewed_last_year if {
	fx.violations(fx.put(valid_input, "/vehicle/last_review", "2025-12-31")) == set()
	fx.violations(fx.without(valid_input, "/vehicle/last_review")) == set()
}

test_contact_fields_required if {
	inp := fx.put(valid_input, "/form", {"licence_has_inspection_records": true})
	{v.field | some v in fx.found(inp, "FIELD_REQUIRED")} == {"form.contact_name", "form.contact_phone"}
}
