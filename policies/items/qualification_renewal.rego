# 从业资格证换发 (qualification_renewal)
# Also applies (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (delivery), FIELD_INVALID (delivery), MAIL_ADDRESS_REQUIRED
#   qualification QUALIFICATION_NOT_FOUND, APPLICANT_NOT_HOLDER, QUALIFICATION_NOT_VALID
#   materials     MATERIAL_*, PHOTO_* (driving_licence_main, driving_licence_secondary,
#                 qualification_info_page, qualification_violation_page, photo_2inch)
package roadcheck.items.qualification_renewal

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates
import data.roadcheck.lib.renewal
import data.roadcheck.lib.violation

windows := data.data.windows

# METADATA
# title: 未到换证时间：有效期届满前{days}日内方可申请换证
# description: 从业资格证有效期届满前30日起方可申请换证；评估日期早于“届满日减30日”时触发。
# custom:
#   code: RENEWAL_TOO_EARLY
#   severity: error
#   basis: qualification_art29
#   fix: 请于{opens_on}起申请
#   message_en: Too early to renew; renewal opens {days} days before expiry
deny contains v if {
	details := renewal.too_early
	v := violation.make(rego.metadata.rule(), details)
}

# METADATA
# title: 已超过换证期限：有效期届满超过{days}日不能换证
# description: 超过从业资格证有效期180日未申请换证的，应注销证件；评估日期为届满后第181日及以后时触发（“超过”不含本数）。
# custom:
#   code: RENEWAL_TOO_LATE
#   severity: error
#   basis: qualification_art32
#   fix: 换证期限已于{last_day}截止，请申请注销从业资格证后重新参加从业资格考试
#   message_en: Too late to renew; more than {days} days past expiry (last day {last_day})
deny contains v if {
	expires := app.qualification.expires
	input.as_of > expires # cheap pre-check: only after expiry can it be too late
	days := windows.renewal_late_after_days
	last_day := dates.add_days(expires, days)
	input.as_of > last_day
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.expires",
		"params": {"last_day": last_day},
		"vars": {"days": days},
	})
}

# METADATA
# title: 持证人年龄超过{age}周岁，不予换证
# description: 经营性道路客货运输驾驶员、道路危险货物运输从业人员年龄超过60周岁的应注销从业资格证；自60周岁生日的次日起触发（出生日期取自身份证号码）。
# custom:
#   code: HOLDER_OVER_AGE
#   severity: error
#   basis: qualification_art32
#   fix: 持证人自{over_age_since}起年龄超过{age}周岁，不能换证，请申请注销从业资格证
#   message_en: Holder is over {age} years old (since {over_age_since}); renewal not possible
deny contains v if {
	app.holder_over_age
	since := app.over_age_since
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.holder_id_number",
		"params": {"over_age_since": since},
		"vars": {"age": windows.holder_max_age_years},
	})
}
