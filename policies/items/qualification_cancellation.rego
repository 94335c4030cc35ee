# 从业资格证注销 (qualification_cancellation)
# Also applies (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (reason), REASON_NOT_ALLOWED (holder_request, over_age,
#                 driving_licence_revoked, expired_over_180_days)
#   qualification QUALIFICATION_NOT_FOUND, APPLICANT_NOT_HOLDER
#                 (not QUALIFICATION_NOT_VALID: a cancelled certificate is ALREADY_CANCELLED below)
#   materials     MATERIAL_*, PHOTO_* (qualification_info_page, qualification_violation_page)
package roadcheck.items.qualification_cancellation

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates
import data.roadcheck.lib.violation

# METADATA
# title: 从业资格证已注销
# description: 申请注销的从业资格证在档案中已是“已注销”状态时触发。
# custom:
#   code: ALREADY_CANCELLED
#   severity: error
#   basis: item
#   fix: 该从业资格证已注销，无需再次申请
#   message_en: The qualification certificate is already cancelled
deny contains v if {
	app.qualification.status == "cancelled"
	v := violation.make(rego.metadata.rule(), {"field": "qualification.status"})
}

# reason_eligible_on(reason): first day a date-bound cancellation reason holds.
#   over_age: the day after the 60th birthday (Civil Code Art. 1259: "over" excludes the number);
#   expired_over_180_days: day 181 after expiry (the expiry day is day 0).
reason_eligible_on("over_age") := app.over_age_since

reason_eligible_on("expired_over_180_days") := dates.add_days(app.qualification.expires, data.data.windows.cancellation_expired_after_days + 1)

# METADATA
# title: 注销原因不成立：{reason_name}
# description: 选择“年龄超过60周岁”而持证人尚未超过60周岁，或选择“超过有效期180日未换证”而尚未超过有效期180日时触发。
# custom:
#   code: CANCELLATION_REASON_UNSUPPORTED
#   severity: error
#   basis: item
#   fix: 该原因自{eligible_on}起方可适用，请选择符合实际情况的注销原因（如持证人申请注销）
#   message_en: 'Cancellation reason does not apply yet ({reason}); it applies from {eligible_on}'
deny contains v if {
	reason := app.form.reason
	since := reason_eligible_on(reason)
	input.as_of < since
	v := violation.make(rego.metadata.rule(), {
		"field": "form.reason",
		"params": {"reason": reason, "eligible_on": since},
		"vars": {"reason_name": reason_names[reason]},
	})
}

reason_names[r.code] := r.name if some r in app.item.reasons
