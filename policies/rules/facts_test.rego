package roadcheck.rules.facts_test

import data.roadcheck.lib.fixtures_test as fx
import data.roadcheck.rules.facts

renewal := fx.valid_inputs.qualification_renewal

review := fx.valid_inputs.freight_annual_review

malformed_fields(inp) := {v.field | some v in fx.found(inp, "FIELD_MALFORMED")}

test_valid_inputs_have_no_malformed_field if {
	every _, inp in fx.valid_inputs {
		malformed_fields(inp) == set()
	}
}

# The renewal of the issue: every unreadable expiry fails, never passes.
test_unreadable_expiry_fails if {
	every bad in ["not-a-date", "", null, "2026-13-45", 20261201] {
		inp := fx.put(renewal, "/qualification/expires", bad)
		malformed_fields(inp) == {"qualification.expires"}
		not fx.passes(inp)
	}
}

test_malformed_vehicle_dates_and_numbers_fail if {
	every p in [["/vehicle/cert_expires", "soon"], ["/vehicle/last_review", "2026-02-30"], ["/vehicle/gross_mass_kg", "18000"], ["/vehicle/gross_mass_kg", -1], ["/vehicle/dangerous_goods", "no"]] {
		inp := fx.put(review, p[0], p[1])
		count(malformed_fields(inp)) == 1
		not fx.passes(inp)
	}
}

test_malformed_form_and_applicant_fail if {
	every p in [["/form/licence_has_inspection_records", "yes"], ["/applicant/real_name_verified", 1], ["/form/delivery", 7], ["/as_of", "2026-1-5"]] {
		inp := fx.put(renewal, p[0], p[1])
		count(malformed_fields(inp)) == 1
		not fx.passes(inp)
	}
}

test_malformed_material_fact_fails if {
	inp := fx.put(renewal, "/materials/0/width", 1.5)
	malformed_fields(inp) == {"materials[0].width"}
	v := fx.one(inp, "FIELD_MALFORMED")
	v.params == {"expected": "integer", "problem": "malformed"}
}

test_section_not_an_object_fails if {
	malformed_fields(fx.put(renewal, "/form", "mail")) == {"form"}
	malformed_fields(fx.put(renewal, "/materials", {})) == {"materials"}
}

test_string_too_long_fails if {
	malformed_fields(fx.put(renewal, "/form/mail_address", concat("", [x | some _ in numbers.range(1, 513); x := "长"]))) == {"form.mail_address"}
}

test_list_of_non_strings_fails if {
	malformed_fields(fx.put(renewal, "/qualification/categories", [1])) == {"qualification.categories"}
}

# A record given whole lacks a fact the rules use: a failure, never a skipped rule.
test_whole_record_missing_fact_fails if {
	inp := fx.without(renewal, "/qualification/expires")
	v := fx.one(inp, "FIELD_MALFORMED")
	v.field == "qualification.expires"
	v.params.problem == "missing"
	not fx.passes(inp)
}

# A fact present with a false or null value is present: it is malformed (null), or read by
# its rule (false), never reported missing.
test_fact_present_with_false_or_null_is_not_missing if {
	facts.has({"a": false}, "a")
	facts.has({"a": null}, "a")
	not facts.has({"a": 1}, "b")
	v := fx.one(fx.put(renewal, "/qualification/expires", null), "FIELD_MALFORMED")
	v.params.problem != "missing"
}

test_fact_that_may_be_absent_passes if {
	fx.passes(fx.without(fx.valid_inputs.driver_integrity_assessment, "/qualification/last_assessed_cycle_end"))
	fx.passes(fx.without(review, "/vehicle/last_review"))
}

test_reference_and_not_found_record_are_not_incomplete if {
	malformed_fields(fx.put(renewal, "/qualification", {"number": "Q1"})) == set()
	malformed_fields(fx.put(renewal, "/qualification", {"number": "Q1", "found": false})) == set()
}

test_blank_key_fails if {
	malformed_fields(fx.put(renewal, "/qualification", {"number": " "})) == {"qualification.number"}
}

test_undeclared_fields_are_left_to_the_contract if {
	malformed_fields(fx.put(renewal, "/form/colour", 7)) == set()
}

# What the service read from an image (materials[].content) is checked as deep as it nests.
good_content := {
	"status": "read", "kind": "driving_licence_main", "confidence": 0.97,
	"fields": {"id_number": {"value": "410105198005170018", "confidence": 0.98, "valid": true}},
	"faces": {"count": 1, "largest": 0.2, "largest_px": 120},
	"engine": {"text": "PP-OCRv4", "faces": "pigo"},
}

test_well_typed_content_is_not_malformed if {
	malformed_fields(fx.put(renewal, "/materials/0/content", good_content)) == set()
}

test_malformed_content_fails_at_every_depth if {
	with_content := fx.put(renewal, "/materials/0/content", good_content)
	every p in [
		["/materials/0/content", "read", "materials[0].content"],
		["/materials/0/content/confidence", "high", "materials[0].content.confidence"],
		["/materials/0/content/confidence", 1.5, "materials[0].content.confidence"],
		["/materials/0/content/faces", [1], "materials[0].content.faces"],
		["/materials/0/content/faces/count", 0.5, "materials[0].content.faces.count"],
		["/materials/0/content/fields/id_number", "410105198005170018", "materials[0].content.fields.id_number"],
		["/materials/0/content/fields/id_number/valid", "yes", "materials[0].content.fields.id_number.valid"],
		["/materials/0/content/engine/text", 7, "materials[0].content.engine.text"],
	] {
		inp := fx.put(with_content, p[0], p[1])
		malformed_fields(inp) == {p[2]}
		not fx.passes(inp)
	}
}

test_content_array_below_an_object_is_not_an_evaluation_error if {
	inp := fx.put(renewal, "/materials/0/content", {"status": "read", "fields": {"id_number": [{"value": 1}]}})
	malformed_fields(inp) == {"materials[0].content.fields.id_number"}
}
