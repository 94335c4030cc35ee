package roadcheck.rules.applicant_test

import data.roadcheck.lib.fixtures_test as fx

renewal := fx.valid_inputs.qualification_renewal

review := fx.valid_inputs.freight_annual_review

# APPLICANT_KIND_MISMATCH

test_kind_mismatch_legal_on_natural_item if {
	v := fx.one(fx.put(renewal, "/applicant", fx.legal_applicant), "APPLICANT_KIND_MISMATCH")
	v.field == "applicant.kind"
	v.params == {"expected": "natural"}
	v.message == "申请人类型不符：本事项须由自然人申请"
	v.basis == "《道路运输从业人员管理规定》第二十九条"
}

test_kind_mismatch_natural_on_legal_item if {
	v := fx.one(fx.put(review, "/applicant", fx.natural_applicant), "APPLICANT_KIND_MISMATCH")
	v.params == {"expected": "legal"}
}

test_kind_mismatch_when_kind_absent if {
	"APPLICANT_KIND_MISMATCH" in fx.codes(fx.without(renewal, "/applicant"))
}

test_kind_matches if {
	not "APPLICANT_KIND_MISMATCH" in fx.codes(renewal)
	not "APPLICANT_KIND_MISMATCH" in fx.codes(review)
}

# APPLICANT_NOT_VERIFIED

test_not_verified if {
	v := fx.one(fx.put(renewal, "/applicant/real_name_verified", false), "APPLICANT_NOT_VERIFIED")
	v.field == "applicant.real_name_verified"
	"APPLICANT_NOT_VERIFIED" in fx.codes(fx.without(renewal, "/applicant/real_name_verified"))
}

test_verified_or_legal_person if {
	not "APPLICANT_NOT_VERIFIED" in fx.codes(renewal)
	not "APPLICANT_NOT_VERIFIED" in fx.codes(review)
}

# ID_NUMBER_INVALID

test_id_number_bad_check_digit if {
	v := fx.one(fx.put(renewal, "/applicant/id_number", "410105198005170019"), "ID_NUMBER_INVALID")
	v.field == "applicant.id_number"
	v.params == {"problem": "check_digit"}
	v.basis == "GB 11643-1999《公民身份号码》"
	v.message == "身份证号码无效：校验码不符"
}

test_id_number_missing_for_natural_person if {
	v := fx.one(fx.without(renewal, "/applicant/id_number"), "ID_NUMBER_INVALID")
	v.params == {"problem": "length"}
	"ID_NUMBER_INVALID" in fx.codes(fx.put(renewal, "/applicant/id_number", ""))
}

test_id_number_checked_when_legal_person_gives_one if {
	"ID_NUMBER_INVALID" in fx.codes(fx.put(review, "/applicant/id_number", "123"))
	not "ID_NUMBER_INVALID" in fx.codes(fx.put(review, "/applicant/id_number", "410105198005170018"))
	not "ID_NUMBER_INVALID" in fx.codes(review)
}

test_id_number_valid if {
	not "ID_NUMBER_INVALID" in fx.codes(renewal)
	not "ID_NUMBER_INVALID" in fx.codes(fx.put(renewal, "/applicant/id_number", "11010519491231002X"))
}

# CREDIT_CODE_INVALID

test_credit_code_bad_check if {
	v := fx.one(fx.put(review, "/applicant/credit_code", "91410100317454126E"), "CREDIT_CODE_INVALID")
	v.field == "applicant.credit_code"
	v.params == {"problem": "check_digit"}
	v.basis == "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》"
}

test_credit_code_missing_for_legal_person if {
	v := fx.one(fx.without(review, "/applicant/credit_code"), "CREDIT_CODE_INVALID")
	v.params == {"problem": "format"}
}

test_credit_code_of_natural_person_ignored if {
	not "CREDIT_CODE_INVALID" in fx.codes(fx.put(renewal, "/applicant/credit_code", "91410100..."))
	not "CREDIT_CODE_INVALID" in fx.codes(renewal)
}

test_credit_code_valid if {
	not "CREDIT_CODE_INVALID" in fx.codes(review)
}

# PHONE_INVALID

test_applicant_phone_invalid if {
	v := fx.one(fx.put(renewal, "/applicant/phone", "12812345678"), "PHONE_INVALID")
	v.field == "applicant.phone"
	"PHONE_INVALID" in fx.codes(fx.put(renewal, "/applicant/phone", "1381234567"))
	"PHONE_INVALID" in fx.codes(fx.put(renewal, "/applicant/phone", 13812345678))
}

test_contact_phone_invalid if {
	v := fx.one(fx.put(review, "/form/contact_phone", "0371-12345678"), "PHONE_INVALID")
	v.field == "form.contact_phone"
}

test_phone_valid_or_absent if {
	not "PHONE_INVALID" in fx.codes(fx.put(renewal, "/applicant/phone", "19912345678"))
	not "PHONE_INVALID" in fx.codes(fx.without(renewal, "/applicant/phone"))
	not "PHONE_INVALID" in fx.codes(fx.put(renewal, "/applicant/phone", ""))
}

test_contact_phone_read_only_by_items_that_ask_for_it if {
	not "PHONE_INVALID" in fx.codes(fx.put(renewal, "/form/contact_phone", "123"))
}
