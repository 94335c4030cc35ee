package roadcheck.items.qualification_reissue_test

import data.roadcheck.lib.fixtures_test as fx

# No item-specific rules: these tests pin the shared rules that apply to reissue.
valid_input := fx.valid_inputs.qualification_reissue

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

test_reason_and_delivery_required if {
	inp := fx.put(valid_input, "/form", {})
	{v.field | some v in fx.found(inp, "FIELD_REQUIRED")} == {"form.reason", "form.delivery"}
}

test_damaged_allowed_other_reasons_not if {
	fx.violations(fx.put(valid_input, "/form/reason", "damaged")) == set()
	"REASON_NOT_ALLOWED" in fx.codes(fx.put(valid_input, "/form/reason", "work_unit_changed"))
}

test_main_licence_without_secondary_fails if {
	inp := fx.put(valid_input, "/materials", [fx.mat("driving_licence_main"), fx.photo])
	fx.one(inp, "MATERIAL_MISSING").material == "driving_licence_secondary"
}
