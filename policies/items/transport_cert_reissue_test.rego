package roadcheck.items.transport_cert_reissue_test

import data.roadcheck.lib.fixtures_test as fx

# No item-specific rules: these tests pin the shared rules that apply to this item.
valid_input := fx.valid_inputs.transport_cert_reissue

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

test_back_page_required_when_it_has_inspection_records if {
	inp := fx.put(valid_input, "/form/licence_has_inspection_records", true)
	fx.one(inp, "MATERIAL_MISSING").material == "vehicle_licence_back"
}

test_reason_list if {
	"REASON_NOT_ALLOWED" in fx.codes(fx.put(valid_input, "/form/reason", "scrapped"))
}

test_expired_certificate if {
	"TRANSPORT_CERT_EXPIRED" in fx.codes(fx.put(valid_input, "/as_of", "2027-01-10"))
}
