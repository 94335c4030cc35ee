# 货运车辆道路运输证补发 (transport_cert_reissue)
# This item has no rules of its own; everything that applies is shared (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (contact_name, contact_phone, reason, delivery), FIELD_INVALID (delivery),
#                 REASON_NOT_ALLOWED (lost, damaged), MAIL_ADDRESS_REQUIRED
#   vehicle       VEHICLE_NOT_FOUND, APPLICANT_NOT_OWNER, TRANSPORT_CERT_NOT_VALID, TRANSPORT_CERT_EXPIRED,
#                 TRANSPORT_CERT_NOT_REQUIRED
#   materials     MATERIAL_*, PHOTO_* (vehicle_licence_front, vehicle_licence_back when
#                 form.licence_has_inspection_records, vehicle_photo_45)
# Add item-specific deny rules here when the regulation calls for them.
package roadcheck.items.transport_cert_reissue
