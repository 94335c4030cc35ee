package roadcheck.lib.ids_test

import data.roadcheck.lib.ids

today := "2026-06-01"

test_valid_id_numbers if {
	ids.valid_id_number("410105198005170018", today)
	ids.valid_id_number("11010519491231002X", today)
	ids.valid_id_number("11010519491231002x", today) # a lower-case x is read as X
	ids.valid_id_number("410105200002290014", today) # 29 February of a leap year
}

test_id_length if {
	ids.id_problem("41010519800517001", today) == "length"
	ids.id_problem("4101051980051700188", today) == "length"
	ids.id_problem("41010519800517001A", today) == "length"
	ids.id_problem(input.id, today) == "length" with input as {"id": 410105198005170018}
	ids.id_problem(input.id, today) == "length" with input as {"id": null}
}

test_id_region if {
	ids.id_problem("990105198005170018", today) == "region"
}

test_id_birth_date if {
	ids.id_problem("410105198002300018", today) == "birth_date" # 30 February
	ids.id_problem("410105189912310018", today) == "birth_date" # before 1900
	ids.id_problem("410105202701010018", today) == "birth_date" # after as_of
}

test_id_check_digit if {
	ids.id_problem("410105198005170019", today) == "check_digit"
	ids.id_problem("110105194912310021", today) == "check_digit"
	not ids.valid_id_number("410105198005170019", today)
}

test_birth_date if {
	ids.birth_date("410105198005170018") == "1980-05-17"
}

test_valid_credit_codes if {
	ids.valid_credit_code("91410100317454126F")
	ids.valid_credit_code("91350100M000100Y43")
	ids.valid_credit_code("91410100ma44xxxx0j") # lower case is read as upper case
}

test_credit_code_format if {
	ids.credit_problem("91410100317454126") == "format"
	ids.credit_problem("91410100317454126I") == "format" # I is not in the alphabet
	ids.credit_problem("9141010031745412OF") == "format" # nor is O
	ids.credit_problem(input.cc) == "format" with input as {"cc": 91410100317454126}
}

test_credit_code_check_digit if {
	ids.credit_problem("91410100317454126E") == "check_digit"
	not ids.valid_credit_code("91410100317454126E")
}

# Check characters computed from the definition are accepted.
test_check_digits_agree_with_reference if {
	every body in ["41010519800517001", "11010519491231002", "41010520000229001", "53010219200508011", "65010219851231999"] {
		chars := split(body, "")
		total := sum([(to_number(chars[i]) * w) | some i, w in ids.id_weights])
		id := concat("", [body, substring(ids.id_check_chars, total % 11, 1)])
		ids.id_check_ok(id)
	}
}

test_credit_check_agrees_with_reference if {
	every body in ["91410100317454126", "91350100M000100Y4", "12100000400000624", "5135000050000123X", "Y1410100MA9XXX01Y"] {
		chars := split(body, "")
		total := sum([(indexof(ids.cc_chars, chars[i]) * w) | some i, w in ids.cc_weights])
		code := concat("", [body, substring(ids.cc_chars, (31 - (total % 31)) % 31, 1)])
		ids.credit_check_ok(code)
	}
}
