package roadcheck.rules.materials_test

import data.roadcheck.lib.fixtures_test as fx
import data.roadcheck.rules.materials

renewal := fx.valid_inputs.qualification_renewal

reissue := fx.valid_inputs.qualification_reissue

review := fx.valid_inputs.freight_annual_review

# with_photo(inp, facts): inp whose only photo_2inch has these facts merged in.
with_photo(inp, facts) := fx.put(inp, "/materials", array.concat(
	[m | some m in inp.materials; m.kind != "photo_2inch"],
	[object.union(fx.photo, facts)],
))

# with_material(inp, m): inp with one more upload.
with_material(inp, m) := fx.put(inp, "/materials", array.concat(inp.materials, [m]))

# MATERIAL_MISSING

test_missing_required_kind if {
	inp := fx.put(renewal, "/materials", fx.materials_of(["driving_licence_main", "driving_licence_secondary", "qualification_info_page", "qualification_violation_page"]))
	v := fx.one(inp, "MATERIAL_MISSING")
	v.material == "photo_2inch"
	v.field == ""
	v.message == "缺少申请材料：近期二寸正面免冠彩色证件照"
	v.fix == "请上传近期二寸正面免冠彩色证件照原件的电子影像（照片或扫描件）"
	v.basis == "《河南省道路运输高频服务事项“跨省通办”办理指南》"
}

test_missing_conditional_kind_when_flag_true if {
	inp := fx.put(review, "/materials", fx.materials_of(["vehicle_licence_front"]))
	fx.one(inp, "MATERIAL_MISSING").material == "vehicle_licence_back"
	not "MATERIAL_MISSING" in fx.codes(fx.put(inp, "/form/licence_has_inspection_records", false))
}

test_nothing_missing if {
	not "MATERIAL_MISSING" in fx.codes(renewal)
}

# MATERIAL_SUBSTITUTED

test_id_card_in_place_of_driving_licence if {
	inp := fx.put(reissue, "/materials", [fx.mat("id_card"), fx.photo])
	vs := fx.found(inp, "MATERIAL_SUBSTITUTED")
	{v.material | some v in vs} == {"driving_licence_main", "driving_licence_secondary"}
	every v in vs {
		v.params == {"substitute": "id_card"}
	}
	codes := fx.codes(inp)
	not "MATERIAL_MISSING" in codes
	not "MATERIAL_UNEXPECTED" in codes
}

test_substitute_message if {
	inp := fx.put(fx.valid_inputs.qualification_change, "/materials", [fx.mat("id_card")])
	v := fx.one(inp, "MATERIAL_SUBSTITUTED")
	v.material == "photo_2inch"
	v.message == "材料不符：以居民身份证代替了近期二寸正面免冠彩色证件照"
}

test_asked_kinds_skipped_when_choosing_the_substitute if {
	# qualification_info_page is asked for by renewal itself, so id_card is the substitute.
	inp := fx.put(fx.valid_inputs.qualification_renewal, "/materials", [
		fx.mat("id_card"), fx.mat("driving_licence_secondary"), fx.mat("qualification_info_page"),
		fx.mat("qualification_violation_page"), fx.photo,
	])
	v := fx.one(inp, "MATERIAL_SUBSTITUTED")
	v.material == "driving_licence_main"
	v.params == {"substitute": "id_card"}
	fx.codes(inp) == {"MATERIAL_SUBSTITUTED"}
}

test_licence_in_place_of_transport_cert if {
	inp := fx.put(fx.valid_inputs.transport_cert_cancellation, "/materials", fx.materials_of(["vehicle_photo_45", "vehicle_licence_front"]))
	v := fx.one(inp, "MATERIAL_SUBSTITUTED")
	v.material == "transport_cert"
	v.params == {"substitute": "vehicle_licence_front"}
}

test_asked_kind_is_not_a_substitute if {
	inp := fx.put(fx.valid_inputs.transport_cert_renewal, "/materials", fx.materials_of(["vehicle_photo_45", "transport_cert"]))
	fx.one(inp, "MATERIAL_MISSING").material == "vehicle_licence_front"
	not "MATERIAL_SUBSTITUTED" in fx.codes(inp)
}

# MATERIAL_UNEXPECTED

test_unexpected_kind_is_a_warning if {
	v := fx.one(with_material(fx.valid_inputs.qualification_change, fx.mat("id_card")), "MATERIAL_UNEXPECTED")
	v.severity == "warning"
	v.material == "id_card"
}

test_conditional_kind_never_unexpected if {
	inp := fx.put(review, "/form/licence_has_inspection_records", false)
	not "MATERIAL_UNEXPECTED" in fx.codes(inp)
}

test_no_unexpected if {
	not "MATERIAL_UNEXPECTED" in fx.codes(renewal)
}

# MATERIAL_DUPLICATE

test_same_file_as_two_kinds if {
	inp := fx.put(review, "/materials", [
		fx.mat("vehicle_licence_front"),
		object.union(fx.mat("vehicle_licence_back"), {"sha256": crypto.sha256("vehicle_licence_front")}),
	])
	vs := fx.found(inp, "MATERIAL_DUPLICATE")
	{[v.material, v.params.duplicate_of] | some v in vs} == {
		["vehicle_licence_front", ["vehicle_licence_back"]],
		["vehicle_licence_back", ["vehicle_licence_front"]],
	}
}

test_distinct_files if {
	not "MATERIAL_DUPLICATE" in fx.codes(renewal)
}

# MATERIAL_FORMAT

test_format_not_png_or_jpeg if {
	v := fx.one(with_photo(renewal, {"format": "gif"}), "MATERIAL_FORMAT")
	v.material == "photo_2inch"
	v.message == "材料格式不符：近期二寸正面免冠彩色证件照须为PNG、JPEG图片"
}

# A file in another format is MATERIAL_FORMAT alone, whether it decodes (a GIF) or not (a PDF,
# text, a WebP the service has no decoder for).
test_wrong_format_is_format_alone if {
	every facts in [
		{"format": "gif", "readable": true},
		{"format": "gif", "readable": false},
		{"format": "pdf", "readable": false},
		{"format": "unknown", "readable": false},
		{"format": "webp", "readable": false},
	] {
		inp := fx.put(review, "/materials/0", object.union(object.remove(fx.mat("vehicle_licence_front"), ["sharpness"]), facts))
		fx.one(inp, "MATERIAL_FORMAT").material == "vehicle_licence_front"
		not "MATERIAL_UNREADABLE" in fx.codes(inp)
	}
}

test_format_png_or_absent if {
	not "MATERIAL_FORMAT" in fx.codes(with_photo(renewal, {"format": "png"}))
	not "MATERIAL_FORMAT" in fx.codes(fx.without(review, "/materials/0/format"))
}

# MATERIAL_TOO_LARGE (10 MiB = 10485760 bytes is allowed, one byte more is not)

test_too_large if {
	v := fx.one(fx.put(review, "/materials/0/size_bytes", 10485761), "MATERIAL_TOO_LARGE")
	v.material == "vehicle_licence_front"
	v.fix == "请将机动车行驶证正、副页正面压缩至10MB以内后重新上传"
}

test_size_at_limit if {
	not "MATERIAL_TOO_LARGE" in fx.codes(fx.put(review, "/materials/0/size_bytes", 10485760))
}

# MATERIAL_UNREADABLE

test_unreadable if {
	fx.one(fx.put(review, "/materials/1/readable", false), "MATERIAL_UNREADABLE").material == "vehicle_licence_back"
}

test_unreadable_accepted_format_or_format_absent if {
	every facts in [{"format": "png"}, {"format": "jpeg"}, {}] {
		m := object.union_n([object.remove(fx.mat("vehicle_licence_back"), ["format", "sharpness"]), facts, {"readable": false}])
		inp := fx.put(review, "/materials/1", m)
		fx.one(inp, "MATERIAL_UNREADABLE").material == "vehicle_licence_back"
		not "MATERIAL_FORMAT" in fx.codes(inp)
	}
}

test_readable if {
	not "MATERIAL_UNREADABLE" in fx.codes(review)
	not "MATERIAL_UNREADABLE" in fx.codes(fx.without(review, "/materials/1/readable"))
}

# MATERIAL_BLURRY (threshold 100)

test_blurry if {
	fx.one(fx.put(review, "/materials/0/sharpness", 99.9), "MATERIAL_BLURRY").material == "vehicle_licence_front"
}

test_sharp_at_threshold if {
	not "MATERIAL_BLURRY" in fx.codes(fx.put(review, "/materials/0/sharpness", 100))
}

# PHOTO_BACKGROUND

test_photo_background_not_plain if {
	v := fx.one(with_photo(renewal, {"background": "other"}), "PHOTO_BACKGROUND")
	v.material == "photo_2inch"
	v.message == "证件照背景不符：须为白色、蓝色、红色纯色背景"
}

test_photo_background_ok if {
	not "PHOTO_BACKGROUND" in fx.codes(with_photo(renewal, {"background": "blue"}))
	not "PHOTO_BACKGROUND" in fx.codes(with_photo(renewal, {"background": "red"}))
}

test_background_only_checked_on_id_photo if {
	not "PHOTO_BACKGROUND" in fx.codes(fx.put(review, "/materials/0/background", "other"))
}

# PHOTO_NOT_ID_PHOTO (width/height within 0.66 .. 0.76)

test_photo_ratio_too_narrow if {
	"PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 659, "height": 1000}))
}

test_photo_ratio_too_wide if {
	"PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 761, "height": 1000}))
	"PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 1600, "height": 1000}))
}

test_photo_ratio_at_bounds if {
	not "PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 660, "height": 1000}))
	not "PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 760, "height": 1000}))
}

# wrong_ratio compares in thousandths: a ratio limit with a fourth decimal would be rounded.
test_photo_ratios_are_given_in_thousandths if {
	materials.ratio_min_milli / 1000 == data.data.limits.photo_ratio_min
	materials.ratio_max_milli / 1000 == data.data.limits.photo_ratio_max
	materials.ratio_min_milli == 660
	materials.ratio_max_milli / 1000 != 0.7605 with data.data.limits.photo_ratio_max as 0.7605
}

test_ratio_bounds_hold_at_other_sizes if {
	not "PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 33, "height": 50}))
	"PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 32, "height": 50}))
	not "PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 19, "height": 25}))
	"PHOTO_NOT_ID_PHOTO" in fx.codes(with_photo(renewal, {"width": 1901, "height": 2500}))
}

test_ratio_only_checked_on_id_photo if {
	not "PHOTO_NOT_ID_PHOTO" in fx.codes(review)
}

# PHOTO_RESOLUTION (at least 295 x 413)

test_photo_resolution_too_small if {
	"PHOTO_RESOLUTION" in fx.codes(with_photo(renewal, {"width": 294, "height": 413}))
	"PHOTO_RESOLUTION" in fx.codes(with_photo(renewal, {"width": 295, "height": 412}))
}

test_photo_resolution_at_minimum if {
	not "PHOTO_RESOLUTION" in fx.codes(with_photo(renewal, {"width": 295, "height": 413}))
}

# One violation per (code, material), even with two uploads of the same kind failing differently.

test_one_violation_per_code_and_material if {
	inp := fx.put(renewal, "/materials", array.concat(renewal.materials, [
		object.union(fx.photo, {"format": "gif", "size_bytes": 20000000, "sha256": "a"}),
		object.union(fx.photo, {"format": "bmp", "size_bytes": 30000000, "sha256": "b"}),
	]))
	count(fx.found(inp, "MATERIAL_FORMAT")) == 1
	count(fx.found(inp, "MATERIAL_TOO_LARGE")) == 1
}

# A GIF decodes but is the wrong format: MATERIAL_FORMAT alone.
test_gif_is_format_alone if {
	inp := fx.put(renewal, "/materials/0", object.union(fx.mat("driving_licence_main"), {"format": "gif", "readable": true}))
	codes := {v.code | some v in fx.violations(inp); v.material == "driving_licence_main"}
	codes == {"MATERIAL_FORMAT"}
}

# A file of another format that does not decode (a PDF, text): still MATERIAL_FORMAT alone.
test_undecodable_other_format_is_format_alone if {
	inp := fx.put(renewal, "/materials/0", object.union(fx.mat("driving_licence_main"), {"format": "pdf", "readable": false}))
	codes := {v.code | some v in fx.violations(inp); v.material == "driving_licence_main"}
	codes == {"MATERIAL_FORMAT"}
}

# A JPEG that does not decode is unreadable; so is a file whose format is not stated.
test_broken_jpeg_is_unreadable if {
	inp := fx.put(renewal, "/materials/0", object.union(fx.mat("driving_licence_main"), {"readable": false}))
	"MATERIAL_UNREADABLE" in fx.codes(inp)
	no_format := fx.put(renewal, "/materials/0", object.remove(object.union(fx.mat("driving_licence_main"), {"readable": false}), ["format"]))
	"MATERIAL_UNREADABLE" in fx.codes(no_format)
}

test_blurry_document_gets_text_advice if {
	v := fx.one(fx.put(renewal, "/materials/0", object.union(fx.mat("driving_licence_main"), {"sharpness": 10})), "MATERIAL_BLURRY")
	v.material == "driving_licence_main"
	contains(v.fix, "文字清晰可辨")
}

test_blurry_photo_gets_photo_advice if {
	inp := fx.put(renewal, "/materials", [object.union(m, {"sharpness": 10}) | some m in renewal.materials; m.kind == "photo_2inch"])
	v := fx.one(inp, "MATERIAL_BLURRY")
	v.material == "photo_2inch"
	contains(v.fix, "面部")
	not contains(v.fix, "文字")
	v.message_en == "Recent 2-inch colour ID photo, frontal, bareheaded is blurred; retake it in focus"
}
