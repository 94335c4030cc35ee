# Form checks for every item, driven by the item's form_fields and reasons in data.data.items:
# required fields (also "required when another field has a value"), allowed values, reasons,
# and the mailing address for delivery by mail.
package roadcheck.rules.form

import data.roadcheck.lib.application as app
import data.roadcheck.lib.violation

# mail_address has its own code (MAIL_ADDRESS_REQUIRED), so FIELD_REQUIRED leaves it out.
own_code_fields := {"mail_address"}

# Fields the item asks for that are not filled in.
empty_fields contains f if {
	form := app.form
	some f in app.item.form_fields
	not app.filled(object.get(form, f.name, null))
}

required_now(f) if f.required == true

required_now(f) if {
	every k, want in f.required_when {
		app.form[k] == want
	}
}

# METADATA
# title: 必填项未填写：{label}
# description: 事项申请表中的必填项（或在所选条件下必填的项，如变更原因为服务单位变更时的新服务单位）为空时触发。
# custom:
#   code: FIELD_REQUIRED
#   severity: error
#   basis: provincial_guide
#   fix: 请填写“{label}”
#   message_en: 'Required field is empty: {name}'
deny contains v if {
	some f in empty_fields
	not f.name in own_code_fields
	required_now(f)
	v := violation.make(rego.metadata.rule(), {
		"field": concat(".", ["form", f.name]),
		"vars": {"label": f.label, "name": f.name},
	})
}

# METADATA
# title: 填写内容不在可选范围内：{label}
# description: 有固定选项的表单项（如证件领取方式只能为自取或邮寄）填写了选项以外的值时触发。
# custom:
#   code: FIELD_INVALID
#   severity: error
#   basis: provincial_guide
#   fix: “{label}”请从以下选项中选择：{allowed_names}
#   message_en: 'Field value not allowed: {name} must be one of {allowed_text}'
deny contains v if {
	form := app.form
	some f in app.item.form_fields
	allowed := f.values
	value := form[f.name]
	not value in allowed
	app.filled(value)
	names := object.get(data.data.labels, f.name, {})
	v := violation.make(rego.metadata.rule(), {
		"field": concat(".", ["form", f.name]),
		"params": {"allowed": allowed},
		"vars": {
			"label": f.label,
			"name": f.name,
			"allowed_text": concat(", ", allowed),
			"allowed_names": concat("、", [object.get(names, x, x) | some x in allowed]),
		},
	})
}

# METADATA
# title: 申请原因不在本事项可选范围内
# description: 表单中的申请原因不属于本事项规定的原因（如补发只能为遗失或毁损）时触发。
# custom:
#   code: REASON_NOT_ALLOWED
#   severity: error
#   basis: item
#   fix: 请从以下原因中选择：{allowed_names}
#   message_en: 'Reason not allowed for this item; choose one of: {allowed_text}'
deny contains v if {
	"reason" in app.field_names
	reason := app.form.reason
	allowed := [r.code | some r in app.item.reasons]
	not reason in allowed
	app.filled(reason)
	v := violation.make(rego.metadata.rule(), {
		"field": "form.reason",
		"params": {"allowed": allowed},
		"vars": {
			"allowed_text": concat(", ", allowed),
			"allowed_names": concat("、", [r.name | some r in app.item.reasons]),
		},
	})
}

# METADATA
# title: 选择邮寄领取但未填写邮寄地址
# description: 证件领取方式为邮寄（到付）而邮寄地址为空时触发。
# custom:
#   code: MAIL_ADDRESS_REQUIRED
#   severity: error
#   basis: provincial_guide
#   fix: 请填写完整的邮寄地址（省、市、县区、街道门牌及收件人电话），或改为自取
#   message_en: Delivery by mail requires a mailing address
deny contains v if {
	app.form.delivery == "mail"
	"delivery" in app.field_names
	not app.filled(object.get(app.form, "mail_address", null))
	v := violation.make(rego.metadata.rule(), {"field": "form.mail_address"})
}
