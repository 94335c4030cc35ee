# What the document reader found in each material (facts.content): the kind it detected, the
# numbers it read, the faces it found. Thresholds and tables are policy data (data/content.json).
# A material without content gets none of these rules; each check runs only when its fact is
# present. Only a confident reading is an error; an unsure one is at most the warning
# MATERIAL_CONTENT_UNVERIFIED, so a weak engine never blocks an applicant. Each code is reported
# once per material kind: with two uploads of one kind, the first upload that shows the defect.
package roadcheck.rules.content

import data.roadcheck.lib.application as app
import data.roadcheck.lib.materials as mat
import data.roadcheck.lib.violation
import data.roadcheck.rules.materials as material_rules

cfg := data.data.content

limits := data.data.limits

# name(kind) / name_en(kind): catalogue names, then the reader's own kinds (life_photo, ...).
name(kind) := n if {
	n := mat.catalogue[kind].name
} else := data.data.labels.detected_kinds[kind].name

name_en(kind) := n if {
	n := mat.catalogue[kind].name_en
} else := data.data.labels.detected_kinds[kind].name_en

# known(kind): a kind the rulebook can name. A kind the reader reports but the rulebook does not
# know is taken as unknown: never an error, and never an English code in a Chinese message.
known(kind) if mat.catalogue[kind]

known(kind) if data.data.labels.detected_kinds[kind]

# unrecognised(c): the reading names no kind the rules can judge.
unrecognised(c) if not is_string(object.get(c, "kind", null))

unrecognised(c) if c.kind in cfg.never_mismatch

unrecognised(c) if not known(c.kind)

# sure_kind(c): the detected kind when its confidence reaches the threshold, whatever the status
# (faces alone may decide a life photo while the text engine is unavailable).
sure_kind(c) := c.kind if {
	is_string(c.kind)
	known(c.kind)
	is_number(c.confidence)
	c.confidence >= cfg.kind_min_confidence
}

# read_kind(c): a sure kind from a completed reading; only such a kind contradicts a declaration.
read_kind(c) := k if {
	c.status == "read"
	k := sure_kind(c)
}

# scene_in_photo(kind, detected): a life photo in an ID photo slot is PHOTO_NOT_ID_PHOTO (scene),
# not a wrong kind.
scene_in_photo(kind, detected) if {
	kind in limits.photo_kinds
	detected in cfg.scene_kinds
}

# foreign[i]: material i is confidently another kind than declared (never unknown/other_photo).
foreign[i] := d if {
	some i, m in input.materials
	d := read_kind(m.content)
	d != m.kind
	not d in cfg.never_mismatch
	not scene_in_photo(m.kind, d)
}

# substituted[i]: the foreign kind is one the substitution table lists for the declared kind and
# the item does not itself ask for (as lib/materials.rego substitutes decides for declared kinds).
substituted[i] := d if {
	asked := mat.asked
	some i, d in foreign
	d in object.get(data.data.substitutions, input.materials[i].kind, [])
	not d in asked
}

mismatched[i] := d if {
	some i, d in foreign
	not substituted[i]
}

# same_as(i, d): other declared kinds whose content is also confidently d (the same page in two
# slots, e.g. the licence 副页 uploaded as both main page and 副页).
same_as(i, d) := sort({m.kind |
	kind := input.materials[i].kind
	some j, m in input.materials
	j != i
	m.kind != kind
	read_kind(m.content) == d
})

# first(found): of a set of [index, ...] findings, the first one per declared kind, so each code
# is reported once per material kind.
first(found) := {f |
	some f in found
	kind := input.materials[f[0]].kind
	f == min({g | some g in found; input.materials[g[0]].kind == kind})
}

mismatch_findings := first({[i, d] | some i, d in mismatched})

# METADATA
# title: 材料不符：上传的是{detected_name}，不是{material_name}
# description: >-
#   文字识别以不低于策略阈值的把握（现为0.90）认定上传的材料是另一种证件或照片（如在驾驶证正本处上传了行驶证）时触发；
#   识别为“无法识别的图片”或“其他照片”时不触发。属于常见替代材料的，报告MATERIAL_SUBSTITUTED；证件照处的生活照报告PHOTO_NOT_ID_PHOTO。
# custom:
#   code: MATERIAL_KIND_MISMATCH
#   severity: error
#   basis: provincial_guide
#   fix: 请在{material_name}处上传{material_name}原件的电子影像，不要上传{detected_name}
#   message_en: 'Uploaded {detected_name_en}, not {material_name_en}'
#   shares_code: the same wrong kind, told apart when another slot already holds that kind (the same page uploaded twice), so the fix can say which
deny contains v if {
	some [i, d] in mismatch_findings
	kind := input.materials[i].kind
	count(same_as(i, d)) == 0
	v := violation.make(rego.metadata.rule(), {
		"material": kind,
		"params": {"detected": d, "declared": kind},
		"vars": {"detected_name": name(d), "detected_name_en": name_en(d)},
	})
}

# METADATA
# title: 材料不符：{material_name}与{same_as_name}处上传的都是{detected_name}
# description: >-
#   同一种证件（如驾驶证副页）被分别作为两种材料上传时，对放错位置的一处（识别的种类与该处材料不同）触发；
#   params.same_as列出识别为同一种证件的其他材料。
# custom:
#   code: MATERIAL_KIND_MISMATCH
#   severity: error
#   basis: provincial_guide
#   fix: 请在{material_name}处改传{material_name}原件的电子影像，{detected_name}只需上传一次
#   message_en: '{material_name_en} and {same_as_name_en} both hold {detected_name_en}'
#   shares_code: see the rule above; this one names the slot that already holds the same kind
deny contains v if {
	some [i, d] in mismatch_findings
	kind := input.materials[i].kind
	others := same_as(i, d)
	count(others) > 0
	v := violation.make(rego.metadata.rule(), {
		"material": kind,
		"params": {"detected": d, "declared": kind, "same_as": others},
		"vars": {
			"detected_name": name(d), "detected_name_en": name_en(d),
			"same_as_name": concat("、", [name(k) | some k in others]),
			"same_as_name_en": concat(", ", [name_en(k) | some k in others]),
		},
	})
}

# METADATA
# title: 材料不符：{material_name}处上传的是{substitute_name}
# description: >-
#   文字识别以不低于策略阈值的把握认定某材料处上传的实为替代表中列出的常被误用的材料（如在驾驶证正本处上传了居民身份证），
#   且本事项本身不要求该材料时触发；不再另报MATERIAL_KIND_MISMATCH。
# custom:
#   code: MATERIAL_SUBSTITUTED
#   severity: error
#   basis: provincial_guide
#   fix: '{substitute_name}不能代替{material_name}，请上传{material_name}原件的电子影像'
#   message_en: '{substitute_name_en} was uploaded as {material_name_en}; it cannot replace it'
#   shares_code: the same defect as the rule of rules/materials.rego, found here from the kind the document reader detected in the slot rather than from the declared kinds; params.detected is true
deny contains v if {
	some [i, d] in first({[i, d] | some i, d in substituted})
	v := violation.make(rego.metadata.rule(), {
		"material": input.materials[i].kind,
		"params": {"substitute": d, "detected": true},
		"vars": {"substitute_name": name(d), "substitute_name_en": name_en(d)},
	})
}

# face_problem(m): why the faces the reader found (or its confident scene kind) show that an ID
# photo is not one, in this order.
face_problem(m) := "no_face" if {
	m.content.faces.count == 0
} else := "several_faces" if {
	m.content.faces.count > 1
} else := "face_too_small" if {
	m.content.faces.count == 1
	is_number(m.content.faces.largest)
	m.content.faces.largest < cfg.photo_min_face_share
} else := "scene" if {
	sure_kind(m.content) in cfg.scene_kinds
}

# Photo kinds already reported for their proportions: PHOTO_NOT_ID_PHOTO once per material.
wrong_ratio_kinds contains m.kind if {
	some m in material_rules.photos
	material_rules.wrong_ratio(m)
}

face_findings := first({[i, p] |
	photo_kinds := limits.photo_kinds
	ratio_kinds := wrong_ratio_kinds
	some i, m in input.materials
	m.kind in photo_kinds
	not m.kind in ratio_kinds
	not foreign[i] # another document altogether: that is its defect, not its face
	p := face_problem(m)
})

# METADATA
# title: 不是二寸证件照：{problem}
# description: >-
#   二寸证件照中检测到的人脸不是一张（无人脸或多张人脸），唯一人脸的边长小于照片短边的策略比例（现为25%），
#   或识别以足够把握认定为生活照时触发；params.reason为no_face、several_faces、face_too_small或scene。
#   照片宽高比不符时只报告宽高比。
# custom:
#   code: PHOTO_NOT_ID_PHOTO
#   severity: error
#   basis: provincial_guide
#   fix: 请上传本人近期二寸正面免冠彩色证件照：仅本人一人、正面、面部宽度不小于照片宽度的{min_face_pct}%，不要上传生活照、合影或截图
#   message_en: 'Not a 2-inch ID photo: {problem_en}'
#   shares_code: the proportions rule of rules/materials.rego judges the same defect from the image size; this one from the faces found, and gives way to it
deny contains v if {
	some [i, p] in face_findings
	v := violation.make(rego.metadata.rule(), {
		"material": input.materials[i].kind,
		"params": {"reason": p},
		"vars": {
			"problem": cfg.face_problems[p].name,
			"problem_en": cfg.face_problems[p].name_en,
			"min_face_pct": round(cfg.photo_min_face_share * 100),
		},
	})
}

# judged_kind(m): the kind whose fields are compared: the detected kind when sure, else the
# declared one.
judged_kind(m) := d if {
	d := read_kind(m.content)
	not d in cfg.never_mismatch
} else := m.kind

# records[section]: the application's records the compared fields are checked against.
records["applicant"] := app.applicant

records["qualification"] := app.qualification

records["vehicle"] := app.vehicle

# normal(s): upper case, without spaces and separators (豫A·12345 is 豫A12345).
normal(s) := regex.replace(upper(s), `[\s·•・．.\-－_]`, "")

# own_values(spec): the normalised values the field may have (the applicant's or the holder's ID
# number; the vehicle's plate). Empty when the application gives none: then nothing is compared.
own_values(spec) := {normal(x) |
	some path in spec.facts
	parts := split(path, ".")
	x := records[parts[0]][parts[1]]
	is_string(x)
	normal(x) != ""
}

sure_field(r) if {
	r.valid == true
	is_number(r.confidence)
	r.confidence >= cfg.field_min_confidence
	is_string(r.value)
}

# mask(s, head, tail): s with all but the first head and last tail characters starred; all
# starred when that would show everything.
mask(s, head, tail) := concat("", [substring(s, 0, head), stars((n - head) - tail), substring(s, n - tail, tail)]) if {
	n := count(s)
	n > head + tail
} else := stars(count(s))

stars(n) := concat("", ["*" | some _ in numbers.range(1, n)]) if {
	n > 0
} else := ""

# compared: [i, field, spec] for each field that material i (by its judged kind) must agree on.
compared contains [i, f, spec] if {
	fields := cfg.compared_fields
	some i, m in input.materials
	m.content.status == "read"
	kind := judged_kind(m)
	some f, spec in fields
	kind in spec.kinds
}

not_applicants := first({[i, f] |
	some [i, f, spec] in compared
	r := input.materials[i].content.fields[f]
	sure_field(r)
	own := own_values(spec)
	count(own) > 0
	not normal(r.value) in own
})

# METADATA
# title: '{material_name}不是{owner}的：{field_name}为{reading}'
# description: >-
#   文字识别以不低于策略阈值的把握（现为0.90）读出、且校验通过的公民身份号码与申请人（及从业资格证持证人）的不一致，
#   或号牌号码与申请车辆的不一致（不计大小写与分隔符）时触发。只比对data/content.json列出的证件种类；params只给出遮盖后的号码。
# custom:
#   code: MATERIAL_NOT_APPLICANTS
#   severity: error
#   basis: provincial_guide
#   fix: 请上传{owner}的{material_name}
#   message_en: '{material_name_en} is not {owner_en}: its {field_name_en} reads {reading}'
deny contains v if {
	some [i, f] in not_applicants
	m := input.materials[i]
	spec := cfg.compared_fields[f]
	reading := mask(normal(m.content.fields[f].value), spec.shown_head, spec.shown_tail)
	v := violation.make(rego.metadata.rule(), {
		"material": m.kind,
		"params": {"content_field": f, "reading": reading},
		"vars": {
			"owner": spec.owner, "owner_en": spec.owner_en,
			"field_name": spec.name, "field_name_en": spec.name_en,
		},
	})
}

# unverified_reason(i, m): why material i's content could not be checked, first reason first:
# the reading did not complete; the kind of a document is unknown or unsure; a number to compare
# was read but not surely.
unverified_reason(i, m) := m.content.status if {
	is_string(m.content.status)
	not m.content.status in cfg.quiet_statuses
} else := "kind_unknown" if {
	m.content.status == "read"
	m.kind in cfg.document_kinds
	unrecognised(m.content)
} else := "kind_unsure" if {
	m.content.status == "read"
	m.kind in cfg.document_kinds
	not sure_kind(m.content)
} else := "field_unsure" if {
	some [j, f, spec] in compared
	j == i
	r := m.content.fields[f]
	not sure_field(r)
	count(own_values(spec)) > 0
}

# METADATA
# title: 材料内容未能自动核验：{material_name}（{problem}）
# description: >-
#   有识别结果但未能完成（识别服务不可用、超时或出错），或识别完成而证件种类未能识别、把握低于策略阈值，
#   或需比对的号码识别把握不足时提示（不影响提交），由工作人员人工核对；params.reason说明原因。
# custom:
#   code: MATERIAL_CONTENT_UNVERIFIED
#   severity: warning
#   basis: provincial_guide
#   fix: 工作人员将人工核对该材料；为便于核对，请确认上传的是清晰、完整、正面拍摄的{material_name}
#   message_en: '{material_name_en} could not be checked automatically ({problem_en})'
deny contains v if {
	some [i, reason] in first({[i, r] |
		some i, m in input.materials
		is_object(m.content)
		r := unverified_reason(i, m)
	})
	v := violation.make(rego.metadata.rule(), {
		"material": input.materials[i].kind,
		"params": {"reason": reason},
		"vars": {
			"problem": object.get(cfg.unverified_reasons, [reason, "name"], cfg.unverified_reasons.other_status.name),
			"problem_en": object.get(cfg.unverified_reasons, [reason, "name_en"], cfg.unverified_reasons.other_status.name_en),
		},
	})
}
