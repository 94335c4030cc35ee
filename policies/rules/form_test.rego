package roadcheck.rules.form_test

import data.roadcheck.lib.fixtures_test as fx

renewal := fx.valid_inputs.qualification_renewal

change := fx.valid_inputs.qualification_change

# FIELD_REQUIRED

test_required_field_absent if {
	v := fx.one(fx.without(renewal, "/form/delivery"), "FIELD_REQUIRED")
	v.field == "form.delivery"
	v.message == "必填项未填写：证件领取方式"
	v.fix == "请填写“证件领取方式”"
}

test_required_field_blank if {
	"FIELD_REQUIRED" in fx.codes(fx.put(renewal, "/form/delivery", "  "))
	"FIELD_REQUIRED" in fx.codes(fx.put(renewal, "/form/delivery", null))
}

test_required_fields_each_reported if {
	inp := fx.put(fx.valid_inputs.transport_cert_cancellation, "/form", {})
	{v.field | some v in fx.found(inp, "FIELD_REQUIRED")} == {
		"form.permit_number", "form.contact_name", "form.contact_phone", "form.reason", "form.delivery",
	}
}

test_required_when_condition_holds if {
	v := fx.one(fx.without(change, "/form/new_work_unit"), "FIELD_REQUIRED")
	v.field == "form.new_work_unit"
}

test_required_when_condition_does_not_hold if {
	inp := fx.put(fx.without(change, "/form/new_work_unit"), "/form/reason", "info_changed")
	not "FIELD_REQUIRED" in fx.codes(inp)
}

test_work_unit_personal_allowed if {
	assessment := fx.valid_inputs.driver_integrity_assessment
	not "FIELD_REQUIRED" in fx.codes(assessment)
	"FIELD_REQUIRED" in fx.codes(fx.put(assessment, "/form/work_unit", ""))
}

test_mail_address_is_not_field_required if {
	inp := fx.without(renewal, "/form/mail_address")
	not "FIELD_REQUIRED" in fx.codes(inp)
}

# FIELD_INVALID

test_delivery_outside_allowed_values if {
	v := fx.one(fx.put(renewal, "/form/delivery", "courier"), "FIELD_INVALID")
	v.field == "form.delivery"
	v.params == {"allowed": ["pickup", "mail"]}
	v.fix == "“证件领取方式”请从以下选项中选择：自取、邮寄"
}

test_delivery_allowed_values if {
	not "FIELD_INVALID" in fx.codes(renewal)
	not "FIELD_INVALID" in fx.codes(fx.valid_inputs.qualification_reissue)
}

# REASON_NOT_ALLOWED

test_reason_not_in_item_list if {
	v := fx.one(fx.put(fx.valid_inputs.qualification_reissue, "/form/reason", "scrapped"), "REASON_NOT_ALLOWED")
	v.field == "form.reason"
	v.params == {"allowed": ["lost", "damaged"]}
	v.fix == "请从以下原因中选择：遗失、毁损"
}

test_reason_allowed if {
	not "REASON_NOT_ALLOWED" in fx.codes(fx.valid_inputs.qualification_reissue)
	not "REASON_NOT_ALLOWED" in fx.codes(fx.put(fx.valid_inputs.transport_cert_reissue, "/form/reason", "damaged"))
}

test_reason_ignored_by_items_without_reason if {
	not "REASON_NOT_ALLOWED" in fx.codes(fx.put(renewal, "/form/reason", "anything"))
}

test_empty_reason_is_only_field_required if {
	codes := fx.codes(fx.put(fx.valid_inputs.qualification_reissue, "/form/reason", ""))
	"FIELD_REQUIRED" in codes
	not "REASON_NOT_ALLOWED" in codes
}

# MAIL_ADDRESS_REQUIRED

test_mail_without_address if {
	v := fx.one(fx.without(renewal, "/form/mail_address"), "MAIL_ADDRESS_REQUIRED")
	v.field == "form.mail_address"
	"MAIL_ADDRESS_REQUIRED" in fx.codes(fx.put(renewal, "/form/mail_address", " "))
}

test_mail_with_address_or_pickup if {
	not "MAIL_ADDRESS_REQUIRED" in fx.codes(renewal)
	not "MAIL_ADDRESS_REQUIRED" in fx.codes(fx.put(fx.without(renewal, "/form/mail_address"), "/form/delivery", "pickup"))
}

test_mail_ignored_by_items_without_delivery if {
	inp := fx.put(fx.valid_inputs.qualification_cancellation, "/form/delivery", "mail")
	not "MAIL_ADDRESS_REQUIRED" in fx.codes(inp)
}
