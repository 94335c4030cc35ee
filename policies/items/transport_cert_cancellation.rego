# 货运车辆道路运输证注销 (transport_cert_cancellation)
# This item has no rules of its own; everything that applies is shared (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (permit_number, contact_name, contact_phone, reason, delivery),
#                 FIELD_INVALID (delivery), REASON_NOT_ALLOWED (scrapped, stopped_operating), MAIL_ADDRESS_REQUIRED
#   vehicle       VEHICLE_NOT_FOUND, APPLICANT_NOT_OWNER, TRANSPORT_CERT_NOT_VALID, TRANSPORT_CERT_EXPIRED
#                 (cancellation is done while the certificate is still valid)
#   materials     MATERIAL_*, PHOTO_* (vehicle_photo_45, transport_cert)
# Add item-specific deny rules here when the regulation calls for them.
package roadcheck.items.transport_cert_cancellation
