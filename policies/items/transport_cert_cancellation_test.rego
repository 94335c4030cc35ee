package roadcheck.items.transport_cert_cancellation_test

import data.roadcheck.lib.fixtures_test as fx

# No item-specific rules: these tests pin the shared rules that apply to this item.
valid_input := fx.valid_inputs.transport_cert_cancellation

test_valid_input_passes if {
	fx.violations(valid_input) == set()
	fx.violations(fx.put(valid_input, "/form/reason", "stopped_operating")) == set()
}

test_reason_list if {
	"REASON_NOT_ALLOWED" in fx.codes(fx.put(valid_input, "/form/reason", "lost"))
}

test_cancel_only_while_certificate_valid if {
	"TRANSPORT_CERT_EXPIRED" in fx.codes(fx.put(valid_input, "/as_of", "2027-01-10"))
	"TRANSPORT_CERT_NOT_VALID" in fx.codes(fx.put(valid_input, "/vehicle/cert_status", "cancelled"))
}

test_mail_needs_address if {
	"MAIL_ADDRESS_REQUIRED" in fx.codes(fx.put(valid_input, "/form/delivery", "mail"))
}
