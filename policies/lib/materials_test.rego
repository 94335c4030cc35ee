package roadcheck.lib.materials_test

import data.roadcheck.lib.fixtures_test as fx
import data.roadcheck.lib.materials as mat

review := fx.valid_inputs.freight_annual_review

test_conditional_kind_required_only_when_flag_true if {
	mat.required == {"vehicle_licence_front", "vehicle_licence_back"} with input as review
	mat.required == {"vehicle_licence_front"} with input as fx.put(review, "/form/licence_has_inspection_records", false)
	mat.required == {"vehicle_licence_front"} with input as fx.without(review, "/form/licence_has_inspection_records")
	mat.asked == {"vehicle_licence_front", "vehicle_licence_back"} with input as fx.without(review, "/form/licence_has_inspection_records")
}

test_no_materials_at_all if {
	inp := fx.without(review, "/materials")
	mat.uploaded == set() with input as inp
	mat.missing == {"vehicle_licence_front", "vehicle_licence_back"} with input as inp
}

test_substitutes_in_table_order if {
	inp := fx.put(fx.valid_inputs.qualification_reissue, "/materials", fx.materials_of(["qualification_info_page", "id_card", "photo_2inch"]))
	mat.substitutes.driving_licence_main == ["id_card", "qualification_info_page"] with input as inp
	mat.substitute_kinds == {"id_card", "qualification_info_page"} with input as inp
}

test_asked_kind_is_never_a_substitute if {
	# transport_cert_renewal asks for transport_cert itself, so it cannot stand in for the licence.
	inp := fx.put(fx.valid_inputs.transport_cert_renewal, "/materials", fx.materials_of(["transport_cert", "vehicle_photo_45"]))
	not mat.substitutes.vehicle_licence_front with input as inp
}

test_duplicates_by_hash if {
	inp := fx.put(fx.valid_inputs.qualification_change, "/materials", [
		{"kind": "photo_2inch", "sha256": "same"},
		{"kind": "id_card", "sha256": "same"},
		{"kind": "driving_licence_main", "sha256": ""},
		{"kind": "vehicle_photo_45", "sha256": ""},
	])
	mat.duplicates == {"photo_2inch": {"id_card"}, "id_card": {"photo_2inch"}} with input as inp
}

test_names if {
	mat.name("id_card") == "居民身份证"
	mat.name("x") == "x"
	mat.name_en("id_card") == "Resident identity card"
	mat.name_en("x") == "x"
}

# An upload labelled id_card that the reader surely read as the licence's main page stands in
# for nothing: the licence is missing from its slot, and the label is a wrong kind.
test_misdeclared_kind_is_no_substitute if {
	mats := fx.materials_of(["id_card", "photo_2inch"])
	licence := {"status": "read", "kind": "driving_licence_main", "confidence": 0.97}
	inp := fx.put(fx.put(fx.valid_inputs.qualification_reissue, "/materials", mats), "/materials/0/content", licence)
	mat.misdeclared == {"id_card"} with input as inp
	not mat.substitutes.driving_licence_main with input as inp
	mat.missing == {"driving_licence_main", "driving_licence_secondary"} with input as inp
}

test_unsure_or_agreeing_reading_keeps_the_label if {
	mats := fx.materials_of(["id_card", "photo_2inch"])
	base := fx.put(fx.valid_inputs.qualification_reissue, "/materials", mats)
	every c in [
		{"status": "read", "kind": "driving_licence_main", "confidence": 0.5},
		{"status": "read", "kind": "id_card", "confidence": 0.99},
		{"status": "unavailable", "kind": "unknown"},
		{"status": "read", "kind": "other_photo", "confidence": 0.99},
	] {
		inp := fx.put(base, "/materials/0/content", c)
		mat.misdeclared == set() with input as inp
		mat.substitutes.driving_licence_main == ["id_card"] with input as inp
	}
}
