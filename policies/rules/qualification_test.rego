package roadcheck.rules.qualification_test

import data.roadcheck.lib.fixtures_test as fx

renewal := fx.valid_inputs.qualification_renewal

reissue := fx.valid_inputs.qualification_reissue

# QUALIFICATION_NOT_FOUND

test_not_found_flag if {
	v := fx.one(fx.put(renewal, "/qualification", {"number": "Q999", "found": false}), "QUALIFICATION_NOT_FOUND")
	v.field == "qualification.number"
	v.params == {"number": "Q999"}
	v.basis == "《道路运输从业人员管理规定》第二十九条"
}

test_not_found_absent if {
	fx.one(fx.without(renewal, "/qualification"), "QUALIFICATION_NOT_FOUND").params == {"number": ""}
}

test_not_found_suppresses_record_rules if {
	# as_of is too early and the holder differs, but without a record only NOT_FOUND is said.
	inp := fx.put(fx.put(renewal, "/qualification", {"number": "Q999", "found": false}), "/as_of", "2020-01-01")
	codes := fx.codes(inp)
	codes == {"QUALIFICATION_NOT_FOUND"}
}

test_found if {
	not "QUALIFICATION_NOT_FOUND" in fx.codes(renewal)
	not "QUALIFICATION_NOT_FOUND" in fx.codes(fx.put(renewal, "/qualification/found", true))
}

test_vehicle_items_need_no_qualification if {
	not "QUALIFICATION_NOT_FOUND" in fx.codes(fx.valid_inputs.freight_annual_review)
}

# APPLICANT_NOT_HOLDER (all five qualification items)

test_not_holder if {
	inp := fx.put(renewal, "/qualification/holder_id_number", "11010519491231002X")
	v := fx.one(inp, "APPLICANT_NOT_HOLDER")
	v.field == "applicant.id_number"
	every item in ["driver_integrity_assessment", "qualification_reissue", "qualification_change", "qualification_cancellation"] {
		"APPLICANT_NOT_HOLDER" in fx.codes(fx.put(fx.valid_inputs[item], "/qualification/holder_id_number", "11010519491231002X"))
	}
}

test_not_holder_when_holder_unknown if {
	"APPLICANT_NOT_HOLDER" in fx.codes(fx.without(renewal, "/qualification/holder_id_number"))
}

test_holder_lower_case_x if {
	inp := fx.put(fx.put(renewal, "/qualification/holder_id_number", "11010519491231002X"), "/applicant/id_number", "11010519491231002x")
	not "APPLICANT_NOT_HOLDER" in fx.codes(inp)
}

# QUALIFICATION_NOT_VALID (all qualification items but cancellation)

test_not_valid_status if {
	v := fx.one(fx.put(renewal, "/qualification/status", "revoked"), "QUALIFICATION_NOT_VALID")
	v.field == "qualification.status"
	v.params == {"status": "revoked"}
	v.message == "从业资格证状态异常：已吊销"
	every item in ["driver_integrity_assessment", "qualification_reissue", "qualification_change"] {
		"QUALIFICATION_NOT_VALID" in fx.codes(fx.put(fx.valid_inputs[item], "/qualification/status", "suspended"))
	}
}

test_not_valid_unknown_status if {
	fx.one(fx.without(renewal, "/qualification/status"), "QUALIFICATION_NOT_VALID").message == "从业资格证状态异常：未知"
}

test_not_valid_not_for_cancellation if {
	inp := fx.put(fx.valid_inputs.qualification_cancellation, "/qualification/status", "cancelled")
	not "QUALIFICATION_NOT_VALID" in fx.codes(inp)
}

test_valid_status if {
	not "QUALIFICATION_NOT_VALID" in fx.codes(renewal)
}

# QUALIFICATION_EXPIRED (integrity assessment, reissue, change): as_of after expires

test_expired_day_after if {
	v := fx.one(fx.put(reissue, "/as_of", "2026-12-02"), "QUALIFICATION_EXPIRED")
	v.field == "qualification.expires"
	v.params == {"expires": "2026-12-01"}
	v.fix == "从业资格证已于2026-12-01届满，请先办理换证（届满后180日内可申请换证）"
	"QUALIFICATION_EXPIRED" in fx.codes(fx.put(fx.valid_inputs.qualification_change, "/as_of", "2026-12-02"))
	"QUALIFICATION_EXPIRED" in fx.codes(fx.put(fx.valid_inputs.driver_integrity_assessment, "/qualification/expires", "2025-12-09"))
}

test_not_expired_on_expiry_day if {
	not "QUALIFICATION_EXPIRED" in fx.codes(fx.put(reissue, "/as_of", "2026-12-01"))
}

test_expired_not_checked_for_renewal_or_cancellation if {
	not "QUALIFICATION_EXPIRED" in fx.codes(fx.put(renewal, "/as_of", "2026-12-10"))
	not "QUALIFICATION_EXPIRED" in fx.codes(fx.put(fx.valid_inputs.qualification_cancellation, "/as_of", "2026-12-10"))
}
