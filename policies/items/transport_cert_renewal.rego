# 货运车辆道路运输证换发 (transport_cert_renewal)
# Also applies (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (permit_number, reason, contact_name, contact_phone, delivery),
#                 FIELD_INVALID (delivery), REASON_NOT_ALLOWED (expiring), MAIL_ADDRESS_REQUIRED
#   vehicle       VEHICLE_NOT_FOUND, APPLICANT_NOT_OWNER, TRANSPORT_CERT_NOT_VALID, TRANSPORT_CERT_NOT_REQUIRED
#   materials     MATERIAL_*, PHOTO_* (vehicle_licence_front, vehicle_licence_back when
#                 form.licence_has_inspection_records, vehicle_photo_45, transport_cert)
package roadcheck.items.transport_cert_renewal

import data.roadcheck.lib.renewal
import data.roadcheck.lib.violation

# METADATA
# title: 未到换证时间：道路运输证有效期届满前{days}日内方可申请换证
# description: 货运车辆道路运输证有效期届满前30日起方可申请换证；评估日期早于“届满日减30日”时触发。
# custom:
#   code: TRANSPORT_CERT_RENEWAL_TOO_EARLY
#   severity: error
#   basis: item
#   fix: 请于{opens_on}起申请道路运输证换发
#   message_en: Too early to renew the road transport certificate; renewal opens {days} days before expiry
deny contains v if {
	details := renewal.too_early
	v := violation.make(rego.metadata.rule(), details)
}
