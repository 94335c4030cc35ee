package roadcheck_test

import data.roadcheck
import data.roadcheck.lib.fixtures_test as fx

test_decision_shape if {
	d := roadcheck.decision with input as fx.valid_inputs.qualification_renewal
	object.keys(d) == {"violations", "required_materials"}
	d.violations == set()
}

test_every_valid_fixture_passes if {
	every item, inp in fx.valid_inputs {
		inp.item == item
		fx.violations(inp) == set()
	}
}

test_violation_keys if {
	inp := fx.put(fx.valid_inputs.qualification_renewal, "/as_of", "2026-10-01")
	every v in fx.violations(inp) {
		object.keys(v) == {"code", "severity", "message", "message_en", "basis", "fix", "field", "material", "params"}
	}
}

test_required_materials_in_catalogue_order if {
	rm := roadcheck.required_materials with input as fx.valid_inputs.qualification_renewal
	[m.kind | some m in rm] == [
		"driving_licence_main", "driving_licence_secondary", "photo_2inch",
		"qualification_info_page", "qualification_violation_page",
	]
	rm[0] == {"kind": "driving_licence_main", "name": "机动车驾驶证正本", "name_en": "Driving licence (main page)", "required": true}
}

test_required_materials_conditional if {
	rm := roadcheck.required_materials with input as fx.valid_inputs.transport_cert_reissue
	[[m.kind, m.required] | some m in rm] == [
		["vehicle_licence_front", true], ["vehicle_licence_back", false], ["vehicle_photo_45", true],
	]
	rm2 := roadcheck.required_materials with input as fx.put(fx.valid_inputs.transport_cert_reissue, "/form/licence_has_inspection_records", true)
	[m.required | some m in rm2] == [true, true, true]
}

test_item_without_own_rules_gets_shared_rules if {
	inp := fx.put(fx.valid_inputs.qualification_reissue, "/form/reason", "expiring")
	fx.codes(inp) == {"REASON_NOT_ALLOWED"}
}

test_catalogue_lists_nine_items_in_order if {
	[c.code | some c in roadcheck.catalogue] == [
		"driver_integrity_assessment", "qualification_renewal", "qualification_reissue",
		"qualification_change", "qualification_cancellation", "freight_annual_review",
		"transport_cert_reissue", "transport_cert_renewal", "transport_cert_cancellation",
	]
}

test_catalogue_entry if {
	some c in roadcheck.catalogue
	c.code == "qualification_renewal"
	object.keys(c) == {"code", "name", "name_en", "applicant", "subject", "basis", "materials", "form_fields", "reasons", "schema"}
	c.schema == "/v1/items/qualification_renewal/schema"
	c.name == "从业资格证换发"
	c.applicant == "natural"
	c.subject == "qualification"
	c.basis == "《道路运输从业人员管理规定》第二十九条"
	c.materials[2] == {"kind": "photo_2inch", "name": "近期二寸正面免冠彩色证件照", "name_en": "Recent 2-inch colour ID photo, frontal, bareheaded", "required": true}
	c.form_fields[0] == {"name": "delivery", "label": "证件领取方式", "required": true, "values": ["pickup", "mail"], "type": "string", "max_length": 16, "judged_by": "FIELD_INVALID"}
	c.reasons == []
}

test_catalogue_conditional_material if {
	some c in roadcheck.catalogue
	c.code == "freight_annual_review"
	c.applicant == "legal"
	c.materials == [
		{"kind": "vehicle_licence_front", "name": "机动车行驶证正、副页正面", "name_en": "Vehicle licence, front of main and secondary pages", "required": true},
		{"kind": "vehicle_licence_back", "name": "机动车行驶证副页背面", "name_en": "Vehicle licence, back of secondary page", "required": false, "condition": "form.licence_has_inspection_records"},
	]
}

test_catalogue_reasons_and_required_when if {
	some c in roadcheck.catalogue
	c.code == "qualification_change"
	c.reasons == [{"code": "work_unit_changed", "name": "服务单位变更"}, {"code": "info_changed", "name": "个人信息变更"}]
	some f in c.form_fields
	f.name == "new_work_unit"
	f.required_when == {"reason": "work_unit_changed"}
}

# Each code appears once per (material, field) pair, however messy the application.
test_codes_unique_per_material_and_field if {
	inp := {
		"item": "qualification_change",
		"as_of": "2026-12-05",
		"applicant": {"kind": "legal", "id_number": "1", "phone": "1", "credit_code": "x"},
		"qualification": object.union(fx.qualification, {"status": "revoked", "holder_id_number": "2"}),
		"form": {"reason": "bad", "delivery": "drone", "new_work_unit": "郑州某物流有限公司"},
		"materials": [
			{"kind": "id_card", "format": "gif", "size_bytes": 99999999, "sha256": "s", "readable": false, "sharpness": 1},
			{"kind": "id_card", "format": "bmp", "size_bytes": 88888888, "sha256": "s", "sharpness": 2},
			{"kind": "passport", "format": "tiff", "sha256": "s"},
			{"kind": "photo_2inch", "format": "gif", "width": 10, "height": 10, "background": "other", "sha256": "t"},
			{"kind": "photo_2inch", "format": "jpeg", "width": 20, "height": 5, "background": "green", "sha256": "u"},
		],
	}
	vs := fx.violations(inp)
	count(vs) == count({[v.code, v.material, v.field] | some v in vs})
	count(vs) > 15
}

# Items list their materials in catalogue order, which required_materials relies on.
test_item_materials_in_catalogue_order if {
	every _, it in data.data.items {
		seqs := [data.data.materials[m.kind].seq | some m in it.materials]
		seqs == sort(seqs)
	}
}
