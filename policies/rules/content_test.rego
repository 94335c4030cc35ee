package roadcheck.rules.content_test

import data.roadcheck.lib.fixtures_test as fx
import data.roadcheck.rules.content

renewal := fx.valid_inputs.qualification_renewal # 0 main, 1 secondary, 2 info page, 3 violation page, 4 photo

reissue := fx.valid_inputs.qualification_reissue # 0 main, 1 secondary, 2 photo

change := fx.valid_inputs.qualification_change # 0 photo

review := fx.valid_inputs.freight_annual_review # 0 vehicle licence front, 1 back

own_id := fx.natural_applicant.id_number

other_id := "410102199001011235"

engine := {"text": "PP-OCRv4 det+rec", "faces": "pigo 1.4.6 facefinder"}

# read_as(kind): a clean, confident reading of a document of this kind.
read_as(kind) := {"status": "read", "kind": kind, "confidence": 0.97, "engine": engine}

# field(value): a number read surely (valid, confidence over the threshold).
field(value) := {"value": value, "confidence": 0.98, "valid": true}

one_face := {"count": 1, "largest": 0.41, "largest_px": 210}

# clean(m): what the reader finds on a good upload: its own kind, the applicant's ID number or
# the vehicle's plate where the kind carries one, one large face on an ID photo.
clean(m) := object.union(m, {"content": object.union(read_as(m.kind), extra)}) if {
	extra := object.union_n([
		{"fields": {"id_number": field(own_id)} | m.kind in content.cfg.compared_fields.id_number.kinds},
		{"fields": {"plate": field(fx.vehicle.plate)} | m.kind in content.cfg.compared_fields.plate.kinds},
		{"faces": one_face | m.kind == "photo_2inch"},
	])
}

# all_clean(inp): inp with a clean reading of every material.
all_clean(inp) := fx.put(inp, "/materials", [clean(m) | some m in inp.materials])

# reading(inp, i, c): inp with material i read as c.
reading(inp, i, c) := fx.put(inp, sprintf("/materials/%d/content", [i]), c)

# merged(inp, i, c): inp with c merged into material i's reading.
merged(inp, i, c) := fx.put(inp, sprintf("/materials/%d/content", [i]), object.union(inp.materials[i].content, c))

content_codes := {
	"MATERIAL_KIND_MISMATCH", "MATERIAL_SUBSTITUTED", "PHOTO_NOT_ID_PHOTO",
	"MATERIAL_NOT_APPLICANTS", "MATERIAL_CONTENT_UNVERIFIED",
}

# Clean readings of every material of every item: no violation at all.
test_clean_readings_pass if {
	every _, inp in fx.valid_inputs {
		fx.violations(all_clean(inp)) == set()
	}
}

# Materials without content get no content rule.
test_no_content_no_content_rule if {
	every _, inp in fx.valid_inputs {
		count(content.deny) == 0 with input as inp
	}
}

# MATERIAL_KIND_MISMATCH

test_vehicle_licence_in_driving_licence_slot if {
	inp := reading(all_clean(renewal), 0, read_as("vehicle_licence_front"))
	v := fx.one(inp, "MATERIAL_KIND_MISMATCH")
	v == {
		"code": "MATERIAL_KIND_MISMATCH", "severity": "error",
		"message": "材料不符：上传的是机动车行驶证正、副页正面，不是机动车驾驶证正本",
		"message_en": "Uploaded Vehicle licence, front of main and secondary pages, not Driving licence (main page)",
		"basis": "《河南省道路运输高频服务事项“跨省通办”办理指南》",
		"fix": "请在机动车驾驶证正本处上传机动车驾驶证正本原件的电子影像，不要上传机动车行驶证正、副页正面",
		"field": "", "material": "driving_licence_main",
		"params": {"detected": "vehicle_licence_front", "declared": "driving_licence_main"},
	}
	fx.codes(inp) == {"MATERIAL_KIND_MISMATCH"}
}

# Without a substitution entry, an ID card in the licence slot is a plain wrong kind.
test_id_card_named_when_not_a_substitute if {
	inp := reading(renewal, 0, read_as("id_card"))
	v := fx.one(inp, "MATERIAL_KIND_MISMATCH") with data.data.substitutions as {}
	v.message == "材料不符：上传的是居民身份证，不是机动车驾驶证正本"
	v.params == {"detected": "id_card", "declared": "driving_licence_main"}
}

# A kind the item asks for itself is never a substitute: qualification_info_page in the main slot.
test_asked_kind_in_wrong_slot_is_a_mismatch if {
	inp := reading(renewal, 0, read_as("qualification_info_page"))
	fx.one(inp, "MATERIAL_KIND_MISMATCH").params == {"detected": "qualification_info_page", "declared": "driving_licence_main"}
	not "MATERIAL_SUBSTITUTED" in fx.codes(inp)
}

test_life_photo_in_document_slot if {
	inp := reading(renewal, 0, read_as("life_photo"))
	fx.one(inp, "MATERIAL_KIND_MISMATCH").message == "材料不符：上传的是生活照，不是机动车驾驶证正本"
}

test_kind_confidence_threshold if {
	at := reading(renewal, 0, object.union(read_as("vehicle_licence_front"), {"confidence": 0.9}))
	"MATERIAL_KIND_MISMATCH" in fx.codes(at)
	below := reading(renewal, 0, object.union(read_as("vehicle_licence_front"), {"confidence": 0.89}))
	fx.codes(below) == {"MATERIAL_CONTENT_UNVERIFIED"}
	fx.one(below, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "kind_unsure"}
	fx.passes(below)
}

test_unknown_and_other_photo_never_a_mismatch if {
	every kind in ["unknown", "other_photo"] {
		inp := reading(renewal, 0, read_as(kind))
		fx.codes(inp) == {"MATERIAL_CONTENT_UNVERIFIED"}
		fx.one(inp, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "kind_unknown"}
	}
}

# Only a completed reading contradicts the declared kind.
test_mismatch_needs_a_completed_reading if {
	inp := reading(renewal, 0, object.union(read_as("vehicle_licence_front"), {"status": "timeout"}))
	fx.codes(inp) == {"MATERIAL_CONTENT_UNVERIFIED"}
}

# Two uploads of one kind, both wrong: reported once, for the first.
test_mismatch_once_per_kind if {
	inp := fx.put(renewal, "/materials", array.concat(renewal.materials, [
		object.union(fx.mat("driving_licence_main"), {"sha256": "x", "content": read_as("transport_cert")}),
		object.union(fx.mat("driving_licence_main"), {"sha256": "y", "content": read_as("vehicle_licence_front")}),
	]))
	fx.one(inp, "MATERIAL_KIND_MISMATCH").params.detected == "transport_cert"
}

# The same page twice: the licence 副页 in both licence slots.

test_secondary_page_twice if {
	inp := reading(all_clean(renewal), 0, read_as("driving_licence_secondary"))
	v := fx.one(inp, "MATERIAL_KIND_MISMATCH")
	v.material == "driving_licence_main"
	v.params == {"detected": "driving_licence_secondary", "declared": "driving_licence_main", "same_as": ["driving_licence_secondary"]}
	v.message == "材料不符：机动车驾驶证正本与机动车驾驶证副本（含本人身份信息及档案编号页）处上传的都是机动车驾驶证副本（含本人身份信息及档案编号页）"
	v.fix == "请在机动车驾驶证正本处改传机动车驾驶证正本原件的电子影像，机动车驾驶证副本（含本人身份信息及档案编号页）只需上传一次"
	fx.codes(inp) == {"MATERIAL_KIND_MISMATCH"}
}

# The very same file twice is also MATERIAL_DUPLICATE on both; the wrong slot is still named.
test_secondary_page_twice_same_file if {
	base := reading(all_clean(renewal), 0, read_as("driving_licence_secondary"))
	inp := fx.put(base, "/materials/0/sha256", renewal.materials[1].sha256)
	fx.codes(inp) == {"MATERIAL_KIND_MISMATCH", "MATERIAL_DUPLICATE"}
	fx.one(inp, "MATERIAL_KIND_MISMATCH").material == "driving_licence_main"
}

# The same page in two wrong slots: each names the other.
test_same_page_in_two_wrong_slots if {
	inp := reading(reading(renewal, 0, read_as("id_card")), 2, read_as("id_card"))
	vs := fx.found(inp, "MATERIAL_KIND_MISMATCH") with data.data.substitutions as {}
	{[v.material, v.params.same_as] | some v in vs} == {
		["driving_licence_main", ["qualification_info_page"]],
		["qualification_info_page", ["driving_licence_main"]],
	}
}

# The 副页 slot unread: no second slot to name, a plain mismatch.
test_secondary_page_twice_other_unread if {
	inp := reading(renewal, 0, read_as("driving_licence_secondary"))
	fx.one(inp, "MATERIAL_KIND_MISMATCH").params == {"detected": "driving_licence_secondary", "declared": "driving_licence_main"}
}

# MATERIAL_SUBSTITUTED from the detected kind

test_id_card_detected_in_licence_slot if {
	inp := reading(all_clean(reissue), 0, object.union(read_as("id_card"), {"fields": {"id_number": field(own_id)}}))
	v := fx.one(inp, "MATERIAL_SUBSTITUTED")
	v.material == "driving_licence_main"
	v.params == {"substitute": "id_card", "detected": true}
	v.message == "材料不符：机动车驾驶证正本处上传的是居民身份证"
	v.fix == "居民身份证不能代替机动车驾驶证正本，请上传机动车驾驶证正本原件的电子影像"
	fx.codes(inp) == {"MATERIAL_SUBSTITUTED"}
}

test_id_card_detected_in_photo_slot if {
	inp := reading(change, 0, object.union(read_as("id_card"), {"faces": {"count": 1, "largest": 0.12, "largest_px": 60}}))
	fx.one(inp, "MATERIAL_SUBSTITUTED").params == {"substitute": "id_card", "detected": true}
	fx.codes(inp) == {"MATERIAL_SUBSTITUTED"} # not also a face too small
}

test_unsure_id_card_is_no_substitute if {
	inp := reading(reissue, 0, object.union(read_as("id_card"), {"confidence": 0.5}))
	fx.codes(inp) == {"MATERIAL_CONTENT_UNVERIFIED"}
}

# PHOTO_NOT_ID_PHOTO from faces

photo_read(faces) := object.union(read_as("photo_2inch"), {"faces": faces})

test_life_photo_as_id_photo if {
	inp := reading(all_clean(renewal), 4, object.union(read_as("life_photo"), {"faces": {"count": 1, "largest": 0.3, "largest_px": 110}}))
	v := fx.one(inp, "PHOTO_NOT_ID_PHOTO")
	v.material == "photo_2inch"
	v.params == {"reason": "scene"}
	v.message == "不是二寸证件照：照片是生活照，不是证件照"
	v.message_en == "Not a 2-inch ID photo: it is a life photo"
	fx.codes(inp) == {"PHOTO_NOT_ID_PHOTO"}
}

# Faces alone may decide a scene while the text engine is unavailable.
test_life_photo_by_faces_alone if {
	c := {"status": "unavailable", "kind": "life_photo", "confidence": 0.93, "faces": {"count": 1, "largest": 0.3}}
	inp := reading(renewal, 4, c)
	fx.one(inp, "PHOTO_NOT_ID_PHOTO").params == {"reason": "scene"}
	fx.one(inp, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "unavailable"}
}

test_no_face if {
	v := fx.one(reading(renewal, 4, photo_read({"count": 0})), "PHOTO_NOT_ID_PHOTO")
	v.params == {"reason": "no_face"}
	v.message == "不是二寸证件照：照片中未检测到人脸"
	v.fix == "请上传本人近期二寸正面免冠彩色证件照：仅本人一人、正面、面部宽度不小于照片宽度的25%，不要上传生活照、合影或截图"
}

test_two_faces if {
	v := fx.one(reading(renewal, 4, photo_read({"count": 2, "largest": 0.4, "largest_px": 200})), "PHOTO_NOT_ID_PHOTO")
	v.params == {"reason": "several_faces"}
	v.message == "不是二寸证件照：照片中有多张人脸"
}

test_face_share_threshold if {
	small := fx.one(reading(renewal, 4, photo_read({"count": 1, "largest": 0.24, "largest_px": 85})), "PHOTO_NOT_ID_PHOTO")
	small.params == {"reason": "face_too_small"}
	small.message == "不是二寸证件照：面部过小"
	fx.violations(reading(renewal, 4, photo_read({"count": 1, "largest": 0.25, "largest_px": 88}))) == set()
}

# The proportions rule of rules/materials.rego already says it: the code once per material.
test_wrong_ratio_and_no_face_reported_once if {
	inp := fx.put(reading(renewal, 4, photo_read({"count": 0})), "/materials/4/width", 1600)
	v := fx.one(inp, "PHOTO_NOT_ID_PHOTO")
	v.params == {}
	contains(v.message, "宽高比")
}

test_faces_only_judged_on_photo_kinds if {
	inp := reading(renewal, 0, object.union(read_as("driving_licence_main"), {"faces": {"count": 0}}))
	fx.violations(inp) == set()
}

# MATERIAL_NOT_APPLICANTS

test_another_persons_licence if {
	inp := merged(all_clean(renewal), 0, {"fields": {"id_number": field(other_id)}})
	v := fx.one(inp, "MATERIAL_NOT_APPLICANTS")
	v == {
		"code": "MATERIAL_NOT_APPLICANTS", "severity": "error",
		"message": "机动车驾驶证正本不是申请人本人的：公民身份号码为410***********1235",
		"message_en": "Driving licence (main page) is not the applicant's: its ID number reads 410***********1235",
		"basis": "《河南省道路运输高频服务事项“跨省通办”办理指南》",
		"fix": "请上传申请人本人的机动车驾驶证正本",
		"field": "", "material": "driving_licence_main",
		"params": {"content_field": "id_number", "reading": "410***********1235"},
	}
	fx.codes(inp) == {"MATERIAL_NOT_APPLICANTS"}
	not contains(json.marshal(fx.violations(inp)), other_id)
}

# Another person's ID card in the licence slot: a substitute, and not the applicant's.
test_another_persons_id_card_in_licence_slot if {
	inp := reading(reissue, 0, object.union(read_as("id_card"), {"fields": {"id_number": field(other_id)}}))
	fx.codes(inp) == {"MATERIAL_SUBSTITUTED", "MATERIAL_NOT_APPLICANTS"}
	fx.one(inp, "MATERIAL_NOT_APPLICANTS").material == "driving_licence_main"
}

# The holder's number is the applicant's too (the holder differs: APPLICANT_NOT_HOLDER says so).
test_holder_number_accepted if {
	holder := "410102197001011230"
	base := fx.put(renewal, "/qualification/holder_id_number", holder)
	inp := merged(all_clean(base), 1, {"fields": {"id_number": field(holder)}})
	not "MATERIAL_NOT_APPLICANTS" in fx.codes(inp)
	"MATERIAL_NOT_APPLICANTS" in fx.codes(merged(all_clean(base), 1, {"fields": {"id_number": field(other_id)}}))
}

test_id_number_needs_a_sure_valid_reading if {
	at := merged(all_clean(renewal), 0, {"fields": {"id_number": {"value": other_id, "confidence": 0.9, "valid": true}}})
	"MATERIAL_NOT_APPLICANTS" in fx.codes(at)
	every r in [
		{"value": other_id, "confidence": 0.89, "valid": true},
		{"value": other_id, "confidence": 0.99, "valid": false},
		{"value": other_id, "confidence": 0.99},
	] {
		inp := fx.put(all_clean(renewal), "/materials/0/content/fields/id_number", r)
		fx.codes(inp) == {"MATERIAL_CONTENT_UNVERIFIED"}
		fx.one(inp, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "field_unsure"}
	}
}

# The study record names the person it certifies by ID number: another person's is caught.
test_another_persons_study_record if {
	integrity := fx.valid_inputs.driver_integrity_assessment
	inp := merged(all_clean(integrity), 0, {"fields": {"id_number": field(other_id)}})
	v := fx.one(inp, "MATERIAL_NOT_APPLICANTS")
	v.material == "study_record"
	v.params == {"content_field": "id_number", "reading": "410***********1235"}
}

# A page that does not carry the holder's number is not compared.
test_id_number_only_on_holder_kinds if {
	inp := merged(all_clean(renewal), 3, {"fields": {"id_number": field(other_id)}})
	fx.violations(inp) == set()
}

# Nothing to compare with: an ID card in a vehicle item (whose applicant is a company).
test_nothing_to_compare_with if {
	inp := fx.put(review, "/materials", array.concat(review.materials, [clean(fx.mat("id_card"))]))
	id := fx.put(inp, "/materials/2/content/fields/id_number", field(other_id))
	fx.codes(id) == {"MATERIAL_UNEXPECTED"}
}

test_another_vehicles_licence if {
	inp := merged(all_clean(review), 0, {"fields": {"plate": field("豫B54321")}})
	v := fx.one(inp, "MATERIAL_NOT_APPLICANTS")
	v.params == {"content_field": "plate", "reading": "豫B***21"}
	v.message == "机动车行驶证正、副页正面不是申请车辆的：号牌号码为豫B***21"
	v.fix == "请上传申请车辆的机动车行驶证正、副页正面"
	not contains(json.marshal(v), "54321")
}

test_plate_separators_and_case_ignored if {
	every plate in ["豫a·12345", "豫A 12345", "豫A-12345", "豫A.12345"] {
		fx.violations(merged(all_clean(review), 0, {"fields": {"plate": field(plate)}})) == set()
	}
}

test_mask if {
	content.mask("410102199001011235", 3, 4) == "410***********1235"
	content.mask("豫A12345", 2, 2) == "豫A***45"
	content.mask("豫AD12345", 2, 2) == "豫A****45"
	content.mask("豫A1", 2, 2) == "***"
	content.mask("", 2, 2) == ""
}

# MATERIAL_CONTENT_UNVERIFIED (warning only)

test_engine_unavailable_warns_and_passes if {
	inp := fx.put(renewal, "/materials", [object.union(m, {"content": {"status": "unavailable", "kind": "unknown", "confidence": 0, "engine": {}}}) | some m in renewal.materials])
	vs := fx.violations(inp)
	{v.code | some v in vs} == {"MATERIAL_CONTENT_UNVERIFIED"}
	{v.material | some v in vs} == {m.kind | some m in renewal.materials}
	every v in vs {
		v.severity == "warning"
		v.params == {"reason": "unavailable"}
	}
	fx.passes(inp)
	v := fx.one(fx.put(renewal, "/materials", [inp.materials[0]]), "MATERIAL_CONTENT_UNVERIFIED")
	v.message == "材料内容未能自动核验：机动车驾驶证正本（文字识别服务暂不可用）"
}

test_timeout_and_failure_warn if {
	every status in ["timeout", "failed"] {
		inp := reading(renewal, 0, {"status": status, "kind": "unknown", "confidence": 0})
		fx.one(inp, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": status}
		fx.passes(inp)
	}
}

# A status the rulebook does not know yet still warns: params give it, the message in Chinese.
test_unknown_status_warns if {
	v := fx.one(reading(renewal, 0, {"status": "busy"}), "MATERIAL_CONTENT_UNVERIFIED")
	v.params == {"reason": "busy"}
	v.message == "材料内容未能自动核验：机动车驾驶证正本（识别未完成）"
	v.message_en == "Driving licence (main page) could not be checked automatically (the reading did not complete)"
}

# A kind the reader reports but the rulebook does not know is taken as unknown: no error.
test_unknown_detected_kind_is_unknown if {
	inp := reading(renewal, 0, read_as("passport"))
	fx.codes(inp) == {"MATERIAL_CONTENT_UNVERIFIED"}
	fx.one(inp, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "kind_unknown"}
	fx.violations(reading(renewal, 4, object.union(read_as("passport"), {"faces": one_face}))) == set()
}

# Not a decodable image: MATERIAL_FORMAT or MATERIAL_UNREADABLE says so already.
test_not_read_is_quiet if {
	fx.violations(reading(renewal, 0, {"status": "not_read", "kind": "unknown", "confidence": 0})) == set()
}

# The kind of a photo is not verified from text.
test_unknown_kind_on_photo_slot_is_quiet if {
	fx.violations(reading(renewal, 4, {"status": "read", "kind": "unknown", "confidence": 0.2, "faces": one_face})) == set()
}

test_missing_kind_is_unknown if {
	fx.one(reading(renewal, 0, {"status": "read"}), "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "kind_unknown"}
}

# All defects at once, one per material.
test_all_content_defects_at_once if {
	inp := fx.put(renewal, "/materials", [
		object.union(fx.mat("driving_licence_main"), {"content": read_as("vehicle_licence_front")}),
		object.union(fx.mat("driving_licence_secondary"), {"content": object.union(read_as("driving_licence_secondary"), {"fields": {"id_number": field(other_id)}})}),
		object.union(fx.mat("qualification_info_page"), {"content": {"status": "timeout"}}),
		object.union(fx.mat("qualification_violation_page"), {"content": read_as("unknown")}),
		object.union(fx.photo, {"content": photo_read({"count": 2})}),
	])
	{[v.code, v.material] | some v in fx.violations(inp)} == {
		["MATERIAL_KIND_MISMATCH", "driving_licence_main"],
		["MATERIAL_NOT_APPLICANTS", "driving_licence_secondary"],
		["MATERIAL_CONTENT_UNVERIFIED", "qualification_info_page"],
		["MATERIAL_CONTENT_UNVERIFIED", "qualification_violation_page"],
		["PHOTO_NOT_ID_PHOTO", "photo_2inch"],
	}
	{v.code | some v in fx.violations(inp)} == content_codes - {"MATERIAL_SUBSTITUTED"}
}

# Two uploads of one kind, both unread: one warning, for the first.
test_warning_once_per_kind if {
	inp := fx.put(renewal, "/materials", array.concat(renewal.materials, [
		object.union(fx.mat("driving_licence_main"), {"sha256": "x", "content": {"status": "timeout"}}),
		object.union(fx.mat("driving_licence_main"), {"sha256": "y", "content": {"status": "failed"}}),
	]))
	fx.one(inp, "MATERIAL_CONTENT_UNVERIFIED").params == {"reason": "timeout"}
}

test_names_of_detected_kinds if {
	content.name("id_card") == "居民身份证"
	content.name("life_photo") == "生活照"
	content.name("other_photo") == "其他照片"
	content.name("unknown") == "无法识别的图片"
	content.name_en("life_photo") == "life photo"
}
