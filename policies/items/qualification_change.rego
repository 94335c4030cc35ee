# 从业资格证变更 (qualification_change)
# Also applies (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (reason, delivery; new_work_unit when reason is work_unit_changed),
#                 FIELD_INVALID (delivery), REASON_NOT_ALLOWED (work_unit_changed, info_changed), MAIL_ADDRESS_REQUIRED
#   qualification QUALIFICATION_NOT_FOUND, APPLICANT_NOT_HOLDER, QUALIFICATION_NOT_VALID, QUALIFICATION_EXPIRED
#   materials     MATERIAL_*, PHOTO_* (photo_2inch)
package roadcheck.items.qualification_change

import data.roadcheck.lib.application as app
import data.roadcheck.lib.violation

# METADATA
# title: 变更内容与档案一致：新服务单位与现服务单位相同
# description: 申请变更服务单位，而填写的新服务单位与从业资格档案中的服务单位相同时触发。
# custom:
#   code: CHANGE_NO_DIFFERENCE
#   severity: error
#   basis: item
#   fix: 档案中的服务单位已是“{work_unit}”，无需变更；如单位确有变动，请填写新的服务单位名称
#   message_en: The new work unit is the same as the recorded one
deny contains v if {
	recorded := app.qualification.work_unit
	new := app.form.new_work_unit
	app.filled(new)
	trim_space(new) == trim_space(recorded)
	v := violation.make(rego.metadata.rule(), {
		"field": "form.new_work_unit",
		"vars": {"work_unit": recorded},
	})
}
