package roadcheck.items.driver_integrity_assessment_test

import data.roadcheck.lib.fixtures_test as fx

# First issued 2020-12-01: cycle 5 ends 2025-12-01, its window is 2025-12-01 .. 2025-12-21.
# Cycle 4 (ending 2024-12-01) was the last one assessed.
valid_input := fx.valid_inputs.driver_integrity_assessment

at(as_of) := fx.put(valid_input, "/as_of", as_of)

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

# ASSESSMENT_NOT_DUE: window A_k .. A_k + 20 days inclusive

test_window_first_and_last_day if {
	fx.violations(at("2025-12-01")) == set()
	fx.violations(at("2025-12-21")) == set()
}

test_not_due_day_before_window if {
	v := fx.one(at("2025-11-30"), "ASSESSMENT_NOT_DUE")
	v.field == "qualification.first_issued"
	v.params == {"opens_on": "2025-12-01", "closes_on": "2025-12-21"}
	v.fix == "请于2025-12-01至2025-12-21期间申请诚信考核"
	v.message == "未到考核时间：考核周期届满后20日内方可申请诚信考核"
}

test_not_due_day_after_window_points_to_next_cycle if {
	v := fx.one(at("2025-12-22"), "ASSESSMENT_NOT_DUE")
	v.params == {"opens_on": "2026-12-01", "closes_on": "2026-12-21"}
}

test_not_due_before_first_anniversary if {
	inp := fx.put(at("2025-08-01"), "/qualification/first_issued", "2025-06-15")
	fx.one(inp, "ASSESSMENT_NOT_DUE").params == {"opens_on": "2026-06-15", "closes_on": "2026-07-05"}
}

test_window_spanning_new_year if {
	# First issued 2020-12-25: cycle 5 window is 2025-12-25 .. 2026-01-14.
	inp := fx.put(fx.put(at("2026-01-14"), "/qualification/first_issued", "2020-12-25"), "/qualification/last_assessed_cycle_end", "2024-12-25")
	fx.violations(inp) == set()
	fx.one(fx.put(inp, "/as_of", "2026-01-15"), "ASSESSMENT_NOT_DUE").params == {"opens_on": "2026-12-25", "closes_on": "2027-01-14"}
}

test_anniversary_of_29_february_clamps_to_28 if {
	# First issued 2020-02-29: A_1 = 2021-02-28 (not 2021-03-01), A_4 = 2024-02-29.
	base := fx.put(fx.put(valid_input, "/qualification/first_issued", "2020-02-29"), "/qualification/last_assessed_cycle_end", "")
	fx.one(fx.put(base, "/as_of", "2021-02-27"), "ASSESSMENT_NOT_DUE").params == {"opens_on": "2021-02-28", "closes_on": "2021-03-20"}
	not "ASSESSMENT_NOT_DUE" in fx.codes(fx.put(base, "/as_of", "2021-02-28"))
	not "ASSESSMENT_NOT_DUE" in fx.codes(fx.put(base, "/as_of", "2024-03-20"))
	"ASSESSMENT_NOT_DUE" in fx.codes(fx.put(base, "/as_of", "2024-03-21"))
}

# ASSESSMENT_ALREADY_DONE: in cycle k's window with last_assessed_cycle_end >= A_k

test_already_done if {
	v := fx.one(fx.put(valid_input, "/qualification/last_assessed_cycle_end", "2025-12-01"), "ASSESSMENT_ALREADY_DONE")
	v.field == "qualification.last_assessed_cycle_end"
	v.params == {"cycle_end": "2025-12-01", "opens_on": "2026-12-01", "closes_on": "2026-12-21"}
}

test_previous_cycle_done_is_not_this_one if {
	fx.violations(fx.put(valid_input, "/qualification/last_assessed_cycle_end", "2025-11-30")) == set()
}

test_outside_window_only_not_due if {
	inp := fx.put(fx.put(valid_input, "/qualification/last_assessed_cycle_end", "2025-12-01"), "/as_of", "2026-01-10")
	fx.codes(inp) == {"ASSESSMENT_NOT_DUE"}
}

# QUALIFICATION_INFO_CHANGED

test_info_changed if {
	v := fx.one(fx.put(valid_input, "/qualification/info_changed", true), "QUALIFICATION_INFO_CHANGED")
	v.field == "qualification.info_changed"
}

test_info_unchanged if {
	not "QUALIFICATION_INFO_CHANGED" in fx.codes(fx.without(valid_input, "/qualification/info_changed"))
}

# CATEGORY_NOT_ELIGIBLE: only driver categories

test_escort_only_not_eligible if {
	v := fx.one(fx.put(valid_input, "/qualification/categories", ["dg_escort", "dg_loader"]), "CATEGORY_NOT_ELIGIBLE")
	v.field == "qualification.categories"
	"CATEGORY_NOT_ELIGIBLE" in fx.codes(fx.without(valid_input, "/qualification/categories"))
}

test_any_driver_category_eligible if {
	every cat in ["passenger_driver", "freight_driver", "dg_driver"] {
		not "CATEGORY_NOT_ELIGIBLE" in fx.codes(fx.put(valid_input, "/qualification/categories", ["dg_escort", cat]))
	}
}

test_not_found_suppresses_assessment_rules if {
	inp := fx.put(at("2026-03-01"), "/qualification", {"number": "Q1", "found": false})
	fx.codes(inp) == {"QUALIFICATION_NOT_FOUND"}
}
