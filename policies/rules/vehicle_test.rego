package roadcheck.rules.vehicle_test

import data.roadcheck.lib.fixtures_test as fx

review := fx.valid_inputs.freight_annual_review

vehicle_items := ["freight_annual_review", "transport_cert_reissue", "transport_cert_renewal", "transport_cert_cancellation"]

# VEHICLE_NOT_FOUND

test_vehicle_not_found if {
	inp := fx.put(review, "/vehicle", {"plate": "豫A99999", "found": false})
	v := fx.one(inp, "VEHICLE_NOT_FOUND")
	v.field == "vehicle.plate"
	v.params == {"plate": "豫A99999"}
	v.basis == "《道路货物运输及站场管理规定》货运车辆年度审验条款"
	fx.codes(fx.put(inp, "/applicant/permit_number", "other")) == {"VEHICLE_NOT_FOUND"}
	fx.one(fx.without(review, "/vehicle"), "VEHICLE_NOT_FOUND").params == {"plate": ""}
}

test_vehicle_found if {
	not "VEHICLE_NOT_FOUND" in fx.codes(review)
	not "VEHICLE_NOT_FOUND" in fx.codes(fx.valid_inputs.qualification_renewal)
}

# APPLICANT_NOT_OWNER (all four vehicle items)

test_not_owner if {
	every item in vehicle_items {
		v := fx.one(fx.put(fx.valid_inputs[item], "/applicant/permit_number", "410100000002"), "APPLICANT_NOT_OWNER")
		v.field == "applicant.permit_number"
	}
	"APPLICANT_NOT_OWNER" in fx.codes(fx.without(review, "/applicant/permit_number"))
}

test_owner if {
	not "APPLICANT_NOT_OWNER" in fx.codes(review)
}

# TRANSPORT_CERT_NOT_VALID (all four vehicle items)

test_cert_not_valid if {
	every item in vehicle_items {
		v := fx.one(fx.put(fx.valid_inputs[item], "/vehicle/cert_status", "cancelled"), "TRANSPORT_CERT_NOT_VALID")
		v.params == {"cert_status": "cancelled"}
		v.message == "道路运输证状态异常：已注销"
	}
}

test_cert_valid if {
	not "TRANSPORT_CERT_NOT_VALID" in fx.codes(review)
}

# TRANSPORT_CERT_EXPIRED (annual review, reissue, cancellation): as_of after cert_expires

test_cert_expired_day_after if {
	every item in ["freight_annual_review", "transport_cert_reissue", "transport_cert_cancellation"] {
		v := fx.one(fx.put(fx.valid_inputs[item], "/as_of", "2027-01-10"), "TRANSPORT_CERT_EXPIRED")
		v.params == {"cert_expires": "2027-01-09"}
		v.field == "vehicle.cert_expires"
	}
}

test_cert_not_expired_on_expiry_day if {
	not "TRANSPORT_CERT_EXPIRED" in fx.codes(fx.put(review, "/as_of", "2027-01-09"))
}

test_cert_expired_not_checked_for_renewal if {
	not "TRANSPORT_CERT_EXPIRED" in fx.codes(fx.put(fx.valid_inputs.transport_cert_renewal, "/as_of", "2027-01-10"))
}

# TRANSPORT_CERT_NOT_REQUIRED (annual review, reissue, renewal): ordinary freight <= 4500 kg

test_light_freight_needs_no_cert if {
	every item in ["freight_annual_review", "transport_cert_reissue", "transport_cert_renewal"] {
		v := fx.one(fx.put(fx.valid_inputs[item], "/vehicle/gross_mass_kg", 4500), "TRANSPORT_CERT_NOT_REQUIRED")
		v.basis == "《交通运输部办公厅关于取消总质量4.5吨及以下普通货运车辆道路运输证和驾驶员从业资格证的通知》（2018年12月24日）"
		v.params == {"gross_mass_kg": 4500}
		v.message == "总质量4500千克及以下普通货运车辆无需道路运输证"
	}
}

test_heavier_or_dangerous_goods_need_cert if {
	not "TRANSPORT_CERT_NOT_REQUIRED" in fx.codes(fx.put(review, "/vehicle/gross_mass_kg", 4501))
	inp := fx.put(fx.put(fx.valid_inputs.transport_cert_reissue, "/vehicle/gross_mass_kg", 3000), "/vehicle/dangerous_goods", true)
	not "TRANSPORT_CERT_NOT_REQUIRED" in fx.codes(inp)
	not "TRANSPORT_CERT_NOT_REQUIRED" in fx.codes(fx.without(review, "/vehicle/gross_mass_kg"))
}

test_not_required_not_checked_for_cancellation if {
	not "TRANSPORT_CERT_NOT_REQUIRED" in fx.codes(fx.put(fx.valid_inputs.transport_cert_cancellation, "/vehicle/gross_mass_kg", 3000))
}
