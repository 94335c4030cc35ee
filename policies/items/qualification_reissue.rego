# 从业资格证补发 (qualification_reissue)
# This item has no rules of its own; everything that applies is shared (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (reason, delivery), FIELD_INVALID (delivery), REASON_NOT_ALLOWED
#                 (lost, damaged), MAIL_ADDRESS_REQUIRED
#   qualification QUALIFICATION_NOT_FOUND, APPLICANT_NOT_HOLDER, QUALIFICATION_NOT_VALID, QUALIFICATION_EXPIRED
#   materials     MATERIAL_*, PHOTO_* (driving_licence_main, driving_licence_secondary, photo_2inch)
# Add item-specific deny rules here when the regulation calls for them.
package roadcheck.items.qualification_reissue
