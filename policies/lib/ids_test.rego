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
	ids.id_problem("410199198005170018", today) == "region" # 4101 exists, 410199 does not
	ids.id_problem("41999919800517001X", today) == "region"
	ids.id_problem("410199198002300016", today) == "region" # unknown code, bad birth date: region first
}

# The six-digit code, not just the province: 410105 (金水区, from 1983) is a county-level code.
test_id_region_county_code if {
	ids.valid_id_number("410105198005170018", today)
	not ids.id_problem("410105198005170018", today)
}

# A code withdrawn before the birth year is not valid; one withdrawn in or after it is.
# 110103 崇文区 was withdrawn after 2010.
test_id_region_withdrawn if {
	ids.id_problem("110103201101010015", today) == "region_withdrawn"
	ids.valid_id_number("110103201012310016", today)
	ids.id_problem("110110198701010018", today) == "region_withdrawn" # 燕山区, until 1986
	ids.valid_id_number("110110198601010010", today)
}

# A code whose name changed stays in use until the end of its last name (data/divisions.json
# corrects the source table's 'until' for these).
test_id_region_renamed_code if {
	ids.valid_id_number("12011019950101001X", today) # 东郊区, 东丽区 since 1992
	ids.valid_id_number("130502202101010019", today) # 桥东区, 襄都区 since 2020
	ids.valid_id_number("142200199901010017", today) # 忻县地区, 忻州地区 1983-1999
	ids.id_problem("142200200001010017", today) == "region_withdrawn"
	ids.valid_id_number("511402199801010011", today) # 枳城区 to 1997, 东坡区 from 2000: kept for life
}

# A number keeps its code for life: 110111 房山区 dates from 1986, a holder born 1980 is valid.
test_id_region_created_after_birth_year if {
	ids.valid_id_number("110111198005170014", today)
}

# With a birth date that is not a valid date the code must still exist, but withdrawal (which
# needs the birth year) is not judged: birth_date is reported.
test_id_region_withdrawn_needs_valid_birth_date if {
	ids.id_problem("110103201102300014", today) == "birth_date" # 30 February 2011
	ids.id_problem("110103202701010013", today) == "birth_date" # after as_of
}

# GB 11643 as amended (2018): Hong Kong, Macao and Taiwan residence permits.
test_id_residence_permit_codes if {
	ids.valid_id_number("810000198005170015", today) # before 810000's GB/T 2260 year (1997)
	ids.valid_id_number("820000199001010010", today)
	ids.valid_id_number("830000199001010012", today) # not in GB/T 2260 at all
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

# Characters 3-8 are the registration authority's division code: digits only. The codes below
# have correct check characters, so only the region is wrong.
test_credit_code_region if {
	ids.credit_problem("91A10100317454126P") == "region"
	ids.credit_problem("9141010A3174541260") == "region"
	ids.credit_problem("914101m0317454126l") == "region" # lower case, read as upper case
	not ids.valid_credit_code("91A10100317454126P")
	ids.credit_problem("91A1010031745412OF") == "format" # format is reported first
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

# Every problem the functions name has its Chinese wording (applicant.rego looks it up).
test_problem_names if {
	every id in ["1", "990105198005170018", "110103201101010015", "410105198002300018", "410105198005170019"] {
		ids.id_problem_names[ids.id_problem(id, today)]
	}
	every cc in ["1", "91A10100317454126P", "91410100317454126E"] {
		ids.credit_problem_names[ids.credit_problem(cc)]
	}
}

# digit_values is to_number on the ten digits, and nothing else has a value.
test_digit_values_are_to_number if {
	count(ids.digit_values) == 10
	every d, v in ids.digit_values {
		to_number(d) == v
	}
	every c in ["X", "x", "-", ".", " ", "٣"] {
		not c in object.keys(ids.digit_values)
	}
}

# id_terms and cc_terms are the products the check digits are defined by: position weight times
# the character's value (to_number for ID digits, the alphabet position for credit codes).
test_check_terms_are_value_times_weight if {
	count(ids.id_terms) == 17
	every i, terms in ids.id_terms {
		count(terms) == 10
		every c, t in terms {
			t == to_number(c) * ids.id_weights[i]
		}
	}
	count(ids.cc_terms) == 17
	every i, terms in ids.cc_terms {
		count(terms) == 31
		every c, t in terms {
			t == indexof(ids.cc_chars, c) * ids.cc_weights[i]
		}
	}
}
