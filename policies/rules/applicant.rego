# Applicant checks shared by all nine items: who may apply, real-name verification, and the
# identifiers and phone numbers given (checked wherever given).
package roadcheck.rules.applicant

import data.roadcheck.lib.application as app
import data.roadcheck.lib.ids
import data.roadcheck.lib.violation

# METADATA
# title: 申请人类型不符：本事项须由{expected_name}申请
# description: 事项规定由自然人（从业人员本人）或法人（经营者）申请，申请人类型与事项不一致时触发。
# custom:
#   code: APPLICANT_KIND_MISMATCH
#   severity: error
#   basis: item
#   fix: 请以{expected_name}身份登录后申请本事项
#   message_en: Wrong applicant type; this item must be applied for by a {expected_name_en}
deny contains v if {
	expected := app.item.applicant
	object.get(app.applicant, "kind", "") != expected
	kind := data.data.labels.applicant_kinds[expected]
	v := violation.make(rego.metadata.rule(), {
		"field": "applicant.kind",
		"params": {"expected": expected},
		"vars": {"expected_name": kind.name, "expected_name_en": kind.name_en},
	})
}

# METADATA
# title: 申请人未完成实名认证
# description: 自然人申请人未完成实名认证（上传身份证并提交审核）时触发。
# custom:
#   code: APPLICANT_NOT_VERIFIED
#   severity: error
#   basis: provincial_guide
#   fix: 请在“用户中心”上传本人身份证照片完成实名认证后再申请
#   message_en: Applicant has not completed real-name verification
deny contains v if {
	app.applicant.kind == "natural"
	not app.applicant.real_name_verified == true
	v := violation.make(rego.metadata.rule(), {"field": "applicant.real_name_verified"})
}

# The ID number's first defect, checked once: always for a natural person (absent counts as
# invalid), and for anyone else who gives one.
id_number_problem := ids.id_problem(object.get(app.applicant, "id_number", ""), input.as_of) if {
	app.applicant.kind == "natural"
} else := ids.id_problem(app.applicant.id_number, input.as_of) if {
	app.filled(app.applicant.id_number)
}

# METADATA
# title: 身份证号码无效：{problem_name}
# description: 申请人公民身份号码不符合GB 11643-1999（18位、地址码、出生日期码、MOD 11-2校验码）时触发；自然人未填写身份证号码也触发。
# custom:
#   code: ID_NUMBER_INVALID
#   severity: error
#   basis: gb11643
#   fix: 请核对并填写本人18位居民身份证号码（{problem_name}）
#   message_en: 'Invalid citizen ID number: {problem}'
deny contains v if {
	problem := id_number_problem
	v := violation.make(rego.metadata.rule(), {
		"field": "applicant.id_number",
		"params": {"problem": problem},
		"vars": {"problem_name": ids.id_problem_names[problem]},
	})
}

# The credit code's first defect, for a legal person (absent counts as invalid). A natural
# person has no credit code, so one given anyway is ignored.
credit_code_problem := ids.credit_problem(object.get(app.applicant, "credit_code", "")) if {
	app.applicant.kind == "legal"
}

# METADATA
# title: 统一社会信用代码无效：{problem_name}
# description: 法人申请人的统一社会信用代码不符合GB 32100-2015（18位字符集、第3至8位登记管理机关行政区划码为数字、MOD 31校验码）时触发；法人未填写代码也触发。
# custom:
#   code: CREDIT_CODE_INVALID
#   severity: error
#   basis: gb32100
#   fix: 请核对营业执照上的18位统一社会信用代码后重新填写（{problem_name}）
#   message_en: 'Invalid unified social credit code: {problem}'
deny contains v if {
	problem := credit_code_problem
	v := violation.make(rego.metadata.rule(), {
		"field": "applicant.credit_code",
		"params": {"problem": problem},
		"vars": {"problem_name": ids.credit_problem_names[problem]},
	})
}

# Phones to check, by field path: the applicant's own, and the form's contact phone where the
# item asks for one.
phones["applicant.phone"] := p if {
	p := app.applicant.phone
	not p in {"", null}
}

phones["form.contact_phone"] := p if {
	p := app.form.contact_phone
	not p in {"", null}
	"contact_phone" in app.field_names
}

# METADATA
# title: 手机号码无效
# description: 申请人手机号或联系电话不是11位中国大陆手机号码（1开头，第二位为3-9）时触发。
# custom:
#   code: PHONE_INVALID
#   severity: error
#   basis: provincial_guide
#   fix: 请填写11位中国大陆手机号码（如138xxxxxxxx）
#   message_en: Not a valid mainland China mobile number
deny contains v if {
	some field, phone in phones
	not regex.match(data.data.limits.phone_pattern, phone)
	v := violation.make(rego.metadata.rule(), {"field": field})
}
