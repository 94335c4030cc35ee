# 普通货运车辆网上年审 (freight_annual_review)
# Also applies (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (contact_name, contact_phone)
#   vehicle       VEHICLE_NOT_FOUND, APPLICANT_NOT_OWNER, TRANSPORT_CERT_NOT_VALID, TRANSPORT_CERT_EXPIRED,
#                 TRANSPORT_CERT_NOT_REQUIRED
#   materials     MATERIAL_*, PHOTO_* (vehicle_licence_front, vehicle_licence_back when
#                 form.licence_has_inspection_records)
package roadcheck.items.freight_annual_review

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates
import data.roadcheck.lib.violation

# METADATA
# title: 危险货物运输车辆不能网上年审
# description: 网上年审仅适用于普通货运车辆；车辆档案标记为危险货物运输车辆时触发。
# custom:
#   code: ANNUAL_REVIEW_NOT_ONLINE
#   severity: error
#   basis: provincial_guide
#   fix: 危险货物运输车辆请到原发证机关（县级交通运输主管部门）现场办理年度审验
#   message_en: Dangerous-goods vehicles cannot be reviewed online
deny contains v if {
	app.vehicle.dangerous_goods == true
	v := violation.make(rego.metadata.rule(), {"field": "vehicle.dangerous_goods"})
}

# METADATA
# title: 本年度已完成年审
# description: 货运车辆每年审验一次；车辆最近一次审验通过的日期与评估日期在同一公历年度时触发。
# custom:
#   code: ANNUAL_REVIEW_ALREADY_DONE
#   severity: error
#   basis: item
#   fix: 该车辆已于{last_review}通过本年度审验，请于{opens_on}起申请下一年度审验
#   message_en: Already reviewed this year on {last_review}; the next review opens {opens_on}
deny contains v if {
	last := app.vehicle.last_review
	substring(last, 0, 5) == substring(input.as_of, 0, 5)
	dates.valid(last)
	year := dates.year(input.as_of)
	v := violation.make(rego.metadata.rule(), {
		"field": "vehicle.last_review",
		"params": {"last_review": last, "opens_on": sprintf("%04d-01-01", [year + 1])},
	})
}
