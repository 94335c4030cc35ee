# Shared test fixtures: one valid application per item (each passes with no violation) and small
# helpers to vary one field and read the decision. Tests elsewhere import this package.
package roadcheck.lib.fixtures_test

# A natural-person applicant with a valid GB 11643 ID number (born 1980-05-17).
natural_applicant := {
	"kind": "natural",
	"id_number": "410105198005170018",
	"name": "张三",
	"real_name_verified": true,
	"phone": "13812345678",
}

# A legal-person applicant with a valid GB 32100 credit code.
legal_applicant := {
	"kind": "legal",
	"name": "郑州某物流有限公司",
	"credit_code": "91410100317454126F",
	"permit_number": "410100000001",
	"phone": "13812345678",
}

qualification := {
	"number": "Q410100000001",
	"holder_id_number": "410105198005170018",
	"holder_name": "张三",
	"categories": ["freight_driver"],
	"first_issued": "2020-12-01",
	"expires": "2026-12-01",
	"status": "valid",
	"work_unit": "郑州某物流有限公司",
	"info_changed": false,
	"last_assessed_cycle_end": "2024-12-01",
}

vehicle := {
	"plate": "豫A12345",
	"plate_colour": "yellow",
	"owner_permit_number": "410100000001",
	"owner_name": "郑州某物流有限公司",
	"transport_cert_number": "410100123456",
	"cert_issued": "2024-01-10",
	"cert_expires": "2027-01-09",
	"cert_status": "valid",
	"gross_mass_kg": 18000,
	"dangerous_goods": false,
	"last_review": "2025-03-01",
}

# A good scan of a document of the given kind; every file has its own hash.
mat(kind) := {
	"kind": kind,
	"format": "jpeg",
	"size_bytes": 812345,
	"width": 1600,
	"height": 1000,
	"sha256": crypto.sha256(kind),
	"readable": true,
	"sharpness": 310.5,
}

# A good 2-inch ID photo: 354x496 px (ratio 0.714), plain white background.
photo := {
	"kind": "photo_2inch",
	"format": "jpeg",
	"size_bytes": 120000,
	"width": 354,
	"height": 496,
	"sha256": "sha-photo",
	"readable": true,
	"background": "white",
	"sharpness": 250,
}

valid_inputs := {
	# as_of 2025-12-10 lies in cycle 5's window (2025-12-01 .. 2025-12-21); cycle 4 was the last done.
	"driver_integrity_assessment": {
		"item": "driver_integrity_assessment",
		"as_of": "2025-12-10",
		"applicant": natural_applicant,
		"qualification": qualification,
		"form": {"work_unit": "个人"},
		"materials": [mat("study_record"), mat("qualification_info_page"), mat("qualification_violation_page")],
	},
	# Renewal opens 2026-11-01 for a certificate expiring 2026-12-01.
	"qualification_renewal": {
		"item": "qualification_renewal",
		"as_of": "2026-11-15",
		"applicant": natural_applicant,
		"qualification": qualification,
		"form": {"delivery": "mail", "mail_address": "河南省郑州市金水区某路1号"},
		"materials": [
			mat("driving_licence_main"), mat("driving_licence_secondary"),
			mat("qualification_info_page"), mat("qualification_violation_page"), photo,
		],
	},
	"qualification_reissue": {
		"item": "qualification_reissue",
		"as_of": "2026-06-01",
		"applicant": natural_applicant,
		"qualification": qualification,
		"form": {"reason": "lost", "delivery": "pickup"},
		"materials": [mat("driving_licence_main"), mat("driving_licence_secondary"), photo],
	},
	"qualification_change": {
		"item": "qualification_change",
		"as_of": "2026-06-01",
		"applicant": natural_applicant,
		"qualification": qualification,
		"form": {
			"reason": "work_unit_changed", "new_work_unit": "郑州另一物流有限公司",
			"delivery": "mail", "mail_address": "河南省郑州市金水区某路1号",
		},
		"materials": [photo],
	},
	"qualification_cancellation": {
		"item": "qualification_cancellation",
		"as_of": "2026-06-01",
		"applicant": natural_applicant,
		"qualification": qualification,
		"form": {"reason": "holder_request"},
		"materials": [mat("qualification_info_page"), mat("qualification_violation_page")],
	},
	"freight_annual_review": {
		"item": "freight_annual_review",
		"as_of": "2026-03-10",
		"applicant": legal_applicant,
		"vehicle": vehicle,
		"form": {"contact_name": "李四", "contact_phone": "13900000000", "licence_has_inspection_records": true},
		"materials": [mat("vehicle_licence_front"), mat("vehicle_licence_back")],
	},
	"transport_cert_reissue": {
		"item": "transport_cert_reissue",
		"as_of": "2026-06-01",
		"applicant": legal_applicant,
		"vehicle": vehicle,
		"form": {
			"contact_name": "李四", "contact_phone": "13900000000", "reason": "lost",
			"delivery": "pickup", "licence_has_inspection_records": false,
		},
		"materials": [mat("vehicle_licence_front"), mat("vehicle_photo_45")],
	},
	# Renewal opens 2026-12-10 for a certificate expiring 2027-01-09.
	"transport_cert_renewal": {
		"item": "transport_cert_renewal",
		"as_of": "2026-12-20",
		"applicant": legal_applicant,
		"vehicle": vehicle,
		"form": {
			"permit_number": "410100000001", "reason": "expiring", "contact_name": "李四",
			"contact_phone": "13900000000", "delivery": "pickup",
		},
		"materials": [mat("vehicle_licence_front"), mat("vehicle_photo_45"), mat("transport_cert")],
	},
	"transport_cert_cancellation": {
		"item": "transport_cert_cancellation",
		"as_of": "2026-06-01",
		"applicant": legal_applicant,
		"vehicle": vehicle,
		"form": {
			"permit_number": "410100000001", "contact_name": "李四", "contact_phone": "13900000000",
			"reason": "scrapped", "delivery": "pickup",
		},
		"materials": [mat("vehicle_photo_45"), mat("transport_cert")],
	},
}

# put(inp, path, value): inp with the JSON pointer path set to value (one field varied).
put(inp, path, value) := json.patch(inp, [{"op": "add", "path": path, "value": value}])

# without(inp, path): inp with the JSON pointer path removed.
without(inp, path) := json.patch(inp, [{"op": "remove", "path": path}])

# violations(inp): the decision's violations for inp.
violations(inp) := vs if {
	vs := data.roadcheck.decision.violations with input as inp
}

codes(inp) := {v.code | some v in violations(inp)}

# passes(inp): the decision has no error (the service's pass).
passes(inp) if {
	every v in violations(inp) {
		v.severity != "error"
	}
}

# found(inp, code): the violations of one code.
found(inp, code) := {v | some v in violations(inp); v.code == code}

# one(inp, code): the single violation of a code (undefined unless exactly one).
one(inp, code) := v if {
	vs := found(inp, code)
	count(vs) == 1
	some v in vs
}

# materials_of(kinds...): good uploads of the given kinds.
materials_of(kinds) := [mat(k) | some k in kinds]
