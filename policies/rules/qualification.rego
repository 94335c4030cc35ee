# Qualification-certificate (从业资格证) checks shared by the five qualification items
# (subject "qualification" in data.data.items). Codes whose set of items varies are listed per
# item under shared_checks in data.data.items.
package roadcheck.rules.qualification

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates
import data.roadcheck.lib.violation

applies if app.item.subject == "qualification"

checks := {c | some c in app.item.shared_checks}

status_names := data.data.labels.qualification_status

# METADATA
# title: 未查询到从业资格证信息
# description: 按申请人身份证号或证件号在从业资格档案中查不到证件记录时触发；此时不再进行需要证件记录的其他检查。
# custom:
#   code: QUALIFICATION_NOT_FOUND
#   severity: error
#   basis: item
#   fix: 请核对从业资格证号，或联系原发证机关核实从业资格档案
#   message_en: No qualification certificate record found
deny contains v if {
	applies
	not app.qualification
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.number",
		"params": {"number": object.get(object.get(input, "qualification", {}), "number", "")},
	})
}

# METADATA
# title: 申请人不是从业资格证持证人
# description: 申请人身份证号与从业资格证持证人身份证号不一致时触发；只能由持证人本人申请。
# custom:
#   code: APPLICANT_NOT_HOLDER
#   severity: error
#   basis: item
#   fix: 请由持证人本人登录并完成实名认证后申请
#   message_en: Applicant is not the holder of the qualification certificate
deny contains v if {
	q := app.qualification
	not same_id(object.get(app.applicant, "id_number", ""), object.get(q, "holder_id_number", ""))
	v := violation.make(rego.metadata.rule(), {"field": "applicant.id_number"})
}

# A lower-case x in an ID number is the same check character as X.
same_id(a, b) if {
	is_string(a)
	is_string(b)
	a != ""
	upper(a) == upper(b)
}

# METADATA
# title: 从业资格证状态异常：{status_name}
# description: 从业资格证状态不是“有效”（已注销、已吊销、已暂扣等）时触发；适用于注销以外的从业资格事项。
# custom:
#   code: QUALIFICATION_NOT_VALID
#   severity: error
#   basis: item
#   fix: 从业资格证当前状态为{status_name}，不能办理本事项，请联系原发证机关
#   message_en: 'Qualification certificate is not valid (status: {status})'
deny contains v if {
	"QUALIFICATION_NOT_VALID" in checks
	status := object.get(app.qualification, "status", "")
	status != "valid"
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.status",
		"params": {"status": status},
		"vars": {"status_name": object.get(status_names, status, data.data.labels.unknown)},
	})
}

# METADATA
# title: 从业资格证已过有效期（{expires}届满）
# description: 评估日期晚于从业资格证有效期截止日时触发；适用于诚信考核、补发和变更。
# custom:
#   code: QUALIFICATION_EXPIRED
#   severity: error
#   basis: item
#   fix: 从业资格证已于{expires}届满，请先办理换证（届满后{late_days}日内可申请换证）
#   message_en: Qualification certificate expired on {expires}
deny contains v if {
	"QUALIFICATION_EXPIRED" in checks
	expires := app.qualification.expires
	input.as_of > expires
	dates.valid(expires)
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.expires",
		"params": {"expires": expires},
		"vars": {"late_days": data.data.windows.renewal_late_after_days},
	})
}
