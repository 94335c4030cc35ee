# Identifier checks: GB 11643-1999 citizen ID numbers (with its 2018 amendment for residence
# permits) and GB 32100-2015 unified social credit codes.
# The *_problem functions name the first defect (a stable code); they are undefined for a valid value.
package roadcheck.lib.ids

# GB 11643-1999: weights of the 17 body digits and the check characters for remainder 0..10.
id_weights := [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

id_check_chars := "10X98765432"

# GB 11643 as amended (2018): the address codes of Hong Kong, Macao and Taiwan residents'
# residence permits, valid whatever the birth year.
residence_permit_codes := {"810000", "820000", "830000"}

# Chinese wording of each defect, for messages.
id_problem_names := {
	"length": "应为18位（前17位数字，末位为数字或X）",
	"region": "前六位行政区划代码无效",
	"region_withdrawn": "行政区划代码在出生年份前已撤销",
	"birth_date": "出生日期码无效",
	"check_digit": "校验码不符",
}

# id_problem(s, as_of): first GB 11643 defect of s; a lower-case x is read as X.
id_problem(s, as_of) := "length" if {
	not regex.match(`^[0-9]{17}[0-9Xx]$`, s)
} else := "region" if {
	not region_known(substring(s, 0, 6))
} else := "region_withdrawn" if {
	region_withdrawn(substring(s, 0, 6), birth_date(s), as_of)
} else := "birth_date" if {
	not birth_date_ok(birth_date(s), as_of)
} else := "check_digit" if {
	not id_check_ok(upper(s))
}

valid_id_number(s, as_of) if not id_problem(s, as_of)

# region_known(code): the first six digits are a GB/T 2260 code of data/divisions.json (of any
# year) or a residence-permit code.
region_known(code) if code in residence_permit_codes

region_known(code) if data.data.divisions.codes[code]

# region_withdrawn(code, b, as_of): the code was withdrawn before the birth year. A number keeps
# its code for life, so only the birth year counts (a code created after it is fine). Judged only
# on a valid birth date; otherwise the birth_date problem is reported.
region_withdrawn(code, b, as_of) if {
	birth_date_ok(b, as_of)
	data.data.divisions.codes[code].until < to_number(substring(b, 0, 4))
}

# birth_date(s): digits 7-14 of an ID number as "YYYY-MM-DD".
birth_date(s) := concat("-", [substring(s, 6, 4), substring(s, 10, 2), substring(s, 12, 2)])

birth_date_ok(b, as_of) if {
	is_number(time.parse_ns("2006-01-02", b))
	b >= "1900-01-01"
	b <= as_of
}

# ISO 7064 MOD 11-2: the sum of digit x weight over the 17 body digits, mod 11, picks the check
# character. Each position's digit x weight is read from id_terms (a lookup instead of a number
# parse and a multiplication: this runs for every ID number); a character that is not a digit
# has no term, as to_number has no value for it. The lookup by a character is not an
# iteration, whatever Regal reads into it.
id_check_ok(s) if {
	chars := split(s, "")
	total := sum([terms[chars[i]] | some i, terms in id_terms]) # regal ignore:prefer-some-in-iteration
	chars[17] == substring(id_check_chars, total % 11, 1)
}

digit_values := {"0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9}

# id_terms[i][c]: the value of digit c times the weight of position i (from data alone, so
# computed once).
id_terms := [{c: (v * w) | some c, v in digit_values} | some w in id_weights]

# GB 32100-2015: the 31-character alphabet (no I, O, Z, S, V); a character's value is its
# position in it. Weights of the 17 body characters.
cc_chars := "0123456789ABCDEFGHJKLMNPQRTUWXY"

cc_weights := [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

credit_problem_names := {
	"format": "应为18位数字或大写字母（不含I、O、Z、S、V）",
	"region": "第3至8位登记管理机关行政区划码应为数字",
	"check_digit": "校验码不符",
}

# credit_problem(s): first GB 32100 defect of s; lower-case letters are read as upper case.
credit_problem(s) := "format" if {
	not regex.match(`^[0-9A-HJ-NPQRTUW-Ya-hj-npqrtuw-y]{18}$`, s)
} else := "region" if {
	# Characters 3-8: the registration authority's GB/T 2260 division code, digits only.
	not regex.match(`^.{2}[0-9]{6}`, s)
} else := "check_digit" if {
	not credit_check_ok(upper(s))
}

valid_credit_code(s) if not credit_problem(s)

# MOD 31: the check character's value is 31 - (sum of value x weight) mod 31, with 31 read as 0.
# A character's value x weight is read from cc_terms, as for ID numbers. s is what the format
# check of credit_problem let through (upper-cased): characters of the alphabet only.
credit_check_ok(s) if {
	chars := split(s, "")
	total := sum([terms[chars[i]] | some i, terms in cc_terms]) # regal ignore:prefer-some-in-iteration
	chars[17] == substring(cc_chars, (31 - (total % 31)) % 31, 1)
}

# cc_terms[i][c]: the value of character c times the weight of position i (computed once).
cc_terms := [{c: (indexof(cc_chars, c) * w) | some c in split(cc_chars, "")} | some w in cc_weights]
