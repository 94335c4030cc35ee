package roadcheck.items.transport_cert_renewal_test

import data.roadcheck.lib.fixtures_test as fx

# Certificate expires 2027-01-09: renewal opens 2026-12-10.
valid_input := fx.valid_inputs.transport_cert_renewal

test_valid_input_passes if {
	fx.violations(valid_input) == set()
}

# TRANSPORT_CERT_RENEWAL_TOO_EARLY

test_too_early_day_before_opening if {
	v := fx.one(fx.put(valid_input, "/as_of", "2026-12-09"), "TRANSPORT_CERT_RENEWAL_TOO_EARLY")
	v.field == "vehicle.cert_expires"
	v.params == {"opens_on": "2026-12-10"}
	v.fix == "请于2026-12-10起申请道路运输证换发"
	v.basis == "《河南省道路运输高频服务事项“跨省通办”办理指南》货运车辆道路运输证换发受理条件"
}

test_not_too_early_on_opening_day if {
	fx.violations(fx.put(valid_input, "/as_of", "2026-12-10")) == set()
}

test_renewal_after_expiry_allowed if {
	fx.violations(fx.put(valid_input, "/as_of", "2027-03-01")) == set()
}

test_original_certificate_required if {
	inp := fx.put(valid_input, "/materials", fx.materials_of(["vehicle_licence_front", "vehicle_photo_45"]))
	fx.one(inp, "MATERIAL_MISSING").material == "transport_cert"
}
