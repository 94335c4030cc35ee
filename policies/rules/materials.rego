# Material checks for every item, driven by the item's material list, the substitution table and
# the upload limits in policy data. Fact checks (format, size, ...) run only when the fact is
# present, and report once per material kind.
package roadcheck.rules.materials

import data.roadcheck.lib.materials as mat
import data.roadcheck.lib.violation

limits := data.data.limits

# METADATA
# title: 缺少申请材料：{material_name}
# description: 本事项必需的材料（含条件成立时的条件材料）未上传，且未上传可视为替代的其他材料时触发。
# custom:
#   code: MATERIAL_MISSING
#   severity: error
#   basis: provincial_guide
#   fix: 请上传{material_name}原件的电子影像（照片或扫描件）
#   message_en: 'Required material missing: {material_name_en}'
deny contains v if {
	some kind in mat.missing
	not mat.substitutes[kind]
	v := violation.make(rego.metadata.rule(), {"material": kind})
}

# METADATA
# title: 材料不符：以{substitute_name}代替了{material_name}
# description: 必需材料未上传，而上传了常被误用的其他材料（如以身份证代替驾驶证）时触发；申请材料须与办事指南一致。
# custom:
#   code: MATERIAL_SUBSTITUTED
#   severity: error
#   basis: provincial_guide
#   fix: '{substitute_name}不能代替{material_name}，请上传{material_name}原件的电子影像'
#   message_en: '{substitute_name_en} cannot replace {material_name_en}'
#   shares_code: the same defect is also found from what the document reader detected in an uploaded slot (rules/content.rego); portals handle both alike, params.detected tells them apart
deny contains v if {
	some kind, subs in mat.substitutes
	sub := subs[0]
	v := violation.make(rego.metadata.rule(), {
		"material": kind,
		"params": {"substitute": sub},
		"vars": {"substitute_name": mat.name(sub), "substitute_name_en": mat.name_en(sub)},
	})
}

# METADATA
# title: 多余材料：本事项无需{material_name}
# description: 上传了本事项不要求的材料类型时提示（不影响提交）；已作为替代材料报告的不再重复提示。
# custom:
#   code: MATERIAL_UNEXPECTED
#   severity: warning
#   basis: provincial_guide
#   fix: 请删除{material_name}，或确认是否选错了材料类型
#   message_en: 'Material not required for this item: {material_name_en}'
deny contains v if {
	some kind in ((mat.uploaded - mat.asked) - mat.substitute_kinds)
	v := violation.make(rego.metadata.rule(), {"material": kind})
}

# METADATA
# title: 重复材料：{material_name}与{duplicate_of_name}是同一文件
# description: 同一文件（SHA-256相同）被作为两种不同材料上传时触发。
# custom:
#   code: MATERIAL_DUPLICATE
#   severity: error
#   basis: provincial_guide
#   fix: 请为{material_name}和{duplicate_of_name}分别上传对应的证件影像
#   message_en: '{material_name_en} is the same file as {duplicate_of_name_en}'
deny contains v if {
	some kind, others in mat.duplicates
	sorted := sort(others)
	v := violation.make(rego.metadata.rule(), {
		"material": kind,
		"params": {"duplicate_of": sorted},
		"vars": {
			"duplicate_of_name": concat("、", [mat.name(k) | some k in sorted]),
			"duplicate_of_name_en": concat(", ", [mat.name_en(k) | some k in sorted]),
		},
	})
}

formats := {f | some f in limits.material_formats}

# wrong_format(m): m's format is known and is not one the rulebook accepts. Such a file is
# MATERIAL_FORMAT, and only that: whether it decodes (a GIF does, a PDF does not) changes
# nothing for the applicant, who must send a PNG or JPEG instead.
wrong_format(m) if {
	not m.format in formats
	m.format
}

# METADATA
# title: 材料格式不符：{material_name}须为{formats}图片
# description: >-
#   按文件内容识别的格式不是PNG或JPEG时触发（与文件扩展名无关），无论该文件能否解码为图片
#   （如GIF图片、PDF文件、文本）；此时不再另报MATERIAL_UNREADABLE。
# custom:
#   code: MATERIAL_FORMAT
#   severity: error
#   basis: provincial_guide
#   fix: 请将{material_name}保存为{formats}格式后重新上传
#   message_en: '{material_name_en} must be a {formats_en} image'
deny contains v if {
	# f is bound by its `some` (Regal takes a comprehension's term for an iteration)
	names := [data.data.labels.formats[f] | some f in limits.material_formats] # regal ignore:prefer-some-in-iteration
	some m in input.materials
	wrong_format(m)
	v := violation.make(rego.metadata.rule(), {
		"material": m.kind,
		"vars": {"formats": concat("、", names), "formats_en": concat(" or ", names)},
	})
}

# METADATA
# title: 材料过大：{material_name}超过{max_mib}MB
# description: 材料文件大小超过上限（现为10 MiB，即10485760字节）时触发。
# custom:
#   code: MATERIAL_TOO_LARGE
#   severity: error
#   basis: provincial_guide
#   fix: 请将{material_name}压缩至{max_mib}MB以内后重新上传
#   message_en: '{material_name_en} is larger than {max_mib} MB'
deny contains v if {
	max_bytes := limits.material_max_bytes
	some m in input.materials
	m.size_bytes > max_bytes
	v := violation.make(rego.metadata.rule(), {"material": m.kind, "vars": {"max_mib": limits.material_max_bytes / 1048576}})
}

# METADATA
# title: 材料无法识别：{material_name}不能解码为图片
# description: >-
#   PNG或JPEG格式的材料文件（或未给出格式的文件）已损坏、不完整，不能解码为图片时触发。
#   其他格式的文件只报告MATERIAL_FORMAT。
# custom:
#   code: MATERIAL_UNREADABLE
#   severity: error
#   basis: provincial_guide
#   fix: 请重新拍摄或扫描{material_name}并上传完整的图片文件
#   message_en: '{material_name_en} cannot be decoded as an image'
deny contains v if {
	some m in input.materials
	m.readable == false
	not wrong_format(m)
	v := violation.make(rego.metadata.rule(), {"material": m.kind})
}

# METADATA
# title: 材料不清晰：{material_name}模糊
# description: 图片清晰度（缩小后灰度图拉普拉斯方差）低于策略阈值时触发；证件须清晰可辨、对焦拍摄。
# custom:
#   code: MATERIAL_BLURRY
#   severity: error
#   basis: provincial_guide
#   fix: 请在光线充足处对焦后正面拍摄{material_name}，确保文字清晰可辨，勿斜拍、勿翻拍
#   message_en: '{material_name_en} is too blurry to read'
#   shares_code: documents and ID photos fail the same sharpness threshold; the advice differs (text to read, a face to recognise)
deny contains v if {
	some m in blurry
	not m.kind in limits.photo_kinds
	v := violation.make(rego.metadata.rule(), {"material": m.kind, "vars": {"min_sharpness": limits.min_sharpness}})
}

# METADATA
# title: 材料不清晰：{material_name}模糊
# description: 证件照清晰度低于策略阈值时触发；证件照须对焦清晰、五官可辨。
# custom:
#   code: MATERIAL_BLURRY
#   severity: error
#   basis: provincial_guide
#   fix: 请重新拍摄清晰的{material_name}：对焦于面部，保持相机稳定，光线均匀，不要使用翻拍或截图
#   message_en: '{material_name_en} is blurred; retake it in focus'
#   shares_code: see the document rule above; this one gives photo advice
deny contains v if {
	some m in blurry
	m.kind in limits.photo_kinds
	v := violation.make(rego.metadata.rule(), {"material": m.kind, "vars": {"min_sharpness": limits.min_sharpness}})
}

blurry contains m if {
	some m in input.materials
	is_number(m.sharpness)
	m.sharpness < limits.min_sharpness
}

# ID photos (photo_2inch) in the upload.
photos contains m if {
	kinds := limits.photo_kinds
	some m in input.materials
	m.kind in kinds
}

backgrounds := {b | some b in limits.photo_backgrounds}

# METADATA
# title: 证件照背景不符：须为{backgrounds}纯色背景
# description: 二寸证件照背景未被识别为纯白色、蓝色或红色时触发（如生活照背景）。
# custom:
#   code: PHOTO_BACKGROUND
#   severity: error
#   basis: provincial_guide
#   fix: 请上传{backgrounds}纯色背景的近期二寸正面免冠彩色证件照，建议使用照相馆拍摄的原始电子照片
#   message_en: 'ID photo background must be plain {backgrounds_en}'
deny contains v if {
	some m in photos
	not m.background in backgrounds
	m.background
	v := violation.make(rego.metadata.rule(), {
		"material": m.kind,
		"vars": {
			"backgrounds": concat("、", [data.data.labels.backgrounds[b] | some b in limits.photo_backgrounds]),
			"backgrounds_en": concat(", ", limits.photo_backgrounds),
		},
	})
}

# METADATA
# title: 不是二寸证件照：照片须为竖幅、宽高比{ratio_min}～{ratio_max}
# description: 二寸证件照的宽高比不在规定范围内（35×49毫米约为0.714；横幅或方形照片多为生活照）时触发。
# custom:
#   code: PHOTO_NOT_ID_PHOTO
#   severity: error
#   basis: provincial_guide
#   fix: 请上传竖幅二寸证件照（35×49毫米），不要上传生活照或截图
#   message_en: Not a 2-inch ID photo (portrait, width/height {ratio_min}-{ratio_max})
#   shares_code: the faces the document reader found (rules/content.rego) also show a photo is not an ID photo; that rule stays silent when this one fires, so the code appears once per material
deny contains v if {
	some m in photos
	wrong_ratio(m)
	v := violation.make(rego.metadata.rule(), {
		"material": m.kind,
		"vars": {"ratio_min": limits.photo_ratio_min, "ratio_max": limits.photo_ratio_max},
	})
}

# wrong_ratio(m): m's width/height is outside the 2-inch proportions (also read by
# rules/content.rego, whose face checks give way to this one).
wrong_ratio(m) if {
	m.height > 0
	true in [(m.width * 1000) < (ratio_min_milli * m.height), (m.width * 1000) > (ratio_max_milli * m.height)]
}

# The photo proportions in thousandths, so that wrong_ratio compares integers (width × 1000
# against ratio × height) instead of dividing, which goes through OPA's arbitrary-precision
# floats. The limits are given to three decimals (test_photo_ratios_are_given_in_thousandths).
ratio_min_milli := round(limits.photo_ratio_min * 1000)

ratio_max_milli := round(limits.photo_ratio_max * 1000)

# METADATA
# title: 证件照分辨率不足：至少{min_width}×{min_height}像素
# description: 二寸证件照宽度或高度低于最低像素要求时触发。
# custom:
#   code: PHOTO_RESOLUTION
#   severity: error
#   basis: provincial_guide
#   fix: 请上传不小于{min_width}×{min_height}像素的原始电子证件照，不要截图或压缩
#   message_en: ID photo below {min_width}x{min_height} pixels
deny contains v if {
	some m in photos
	true in [m.width < limits.photo_min_width, m.height < limits.photo_min_height]
	is_number(m.width)
	is_number(m.height)
	v := violation.make(rego.metadata.rule(), {
		"material": m.kind,
		"vars": {"min_width": limits.photo_min_width, "min_height": limits.photo_min_height},
	})
}
