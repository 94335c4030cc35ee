package roadcheck.items.qualification_change_test

import data.roadcheck.lib.fixtures_test as fx

# Recorded work unit 郑州某物流有限公司; new work unit 郑州另一物流有限公司.
valid_input := fx.valid_inputs.qualification_change

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

# CHANGE_NO_DIFFERENCE

test_new_work_unit_same_as_recorded if {
	v := fx.one(fx.put(valid_input, "/form/new_work_unit", " 郑州某物流有限公司 "), "CHANGE_NO_DIFFERENCE")
	v.field == "form.new_work_unit"
	v.fix == "档案中的服务单位已是“郑州某物流有限公司”，无需变更；如单位确有变动，请填写新的服务单位名称"
}

test_new_work_unit_differs if {
	not "CHANGE_NO_DIFFERENCE" in fx.codes(valid_input)
}

test_info_change_without_new_work_unit if {
	inp := fx.put(fx.without(valid_input, "/form/new_work_unit"), "/form/reason", "info_changed")
	fx.violations(inp) == set()
}

test_expired_certificate_cannot_be_changed if {
	"QUALIFICATION_EXPIRED" in fx.codes(fx.put(valid_input, "/as_of", "2026-12-02"))
}
