# Fail closed: the rulebook never passes what it cannot read.
# The service refuses a document that breaks the input contract (data.data.fields, 400
# INVALID_FIELD) before any rule runs. This file is the second line, for any document that
# reaches the rulebook another way (a stored document, a future code path): every present field
# whose value does not have its declared type, and every fact missing from a registry record
# given whole, fails the decision with FIELD_MALFORMED on that field. The rules that read dates
# and numbers stay silent on such values (the date helpers are undefined on them); this rule is
# what makes the decision fail instead of pass.
package roadcheck.rules.facts

import data.roadcheck.lib.dates
import data.roadcheck.lib.violation

sections := data.data.fields.sections

object_sections := {"applicant", "qualification", "vehicle", "form"}

record_sections := {"qualification", "vehicle"}

# [path, declared type] of every malformed value.
malformed contains [name, spec.type] if {
	some name, spec in sections.application
	value := input[name]
	not fits("application", name, value)
}

malformed contains [sec, "object"] if {
	some sec in object_sections
	not is_object(input[sec])
}

malformed contains [concat(".", [sec, name]), spec.type] if {
	some sec in object_sections
	some name, value in input[sec]
	not fits(sec, name, value)
	spec := sections[sec][name]
}

malformed contains ["materials", "array"] if not is_array(input.materials)

malformed contains [sprintf("materials[%d]", [i]), "object"] if {
	some i, m in input.materials
	not is_object(m)
}

malformed contains [sprintf("materials[%d].%s", [i, name]), spec.type] if {
	some i, m in input.materials
	some name, value in m
	not fits("material", name, value)
	spec := sections.material[name]
}

# Object fields of a material (content: what the service read from the image) are checked
# below them, as deep as the contract lets objects nest (policies.maxNesting, four levels): one
# rule a level, each value against the field its path declares; deeper values and undeclared
# keys (array indexes included) have no declaration and are not checked.
malformed contains [sprintf("materials[%d].%s.%s", [i, name, k1]), spec.type] if {
	some [i, name, sec] in object_fields
	some k1, v1 in input.materials[i][name]
	not fits(sec, k1, v1)
	spec := sections[sec][k1]
}

malformed contains [sprintf("materials[%d].%s.%s.%s", [i, name, k1, k2]), spec.type] if {
	some [i, name, sec] in object_fields
	some k1, v1 in input.materials[i][name]
	s1 := sections[sec][k1].section
	some k2, v2 in v1
	not fits(s1, k2, v2)
	spec := sections[s1][k2]
}

malformed contains [sprintf("materials[%d].%s.%s.%s.%s", [i, name, k1, k2, k3]), spec.type] if {
	some [i, name, sec] in object_fields
	some k1, v1 in input.materials[i][name]
	s1 := sections[sec][k1].section
	some k2, v2 in v1
	s2 := sections[s1][k2].section
	some k3, v3 in v2
	not fits(s2, k3, v3)
	spec := sections[s2][k3]
}

malformed contains [sprintf("materials[%d].%s.%s.%s.%s.%s", [i, name, k1, k2, k3, k4]), spec.type] if {
	some [i, name, sec] in object_fields
	some k1, v1 in input.materials[i][name]
	s1 := sections[sec][k1].section
	some k2, v2 in v1
	s2 := sections[s1][k2].section
	some k3, v3 in v2
	s3 := sections[s2][k3].section
	some k4, v4 in v3
	not fits(s3, k4, v4)
	spec := sections[s3][k4]
}

# [material index, field name, section of its fields] of every object field of a material.
object_fields contains [i, name, top.section] if {
	some i, m in input.materials
	some name, value in m
	top := sections.material[name]
	top.type == "object"
	is_object(value)
}

# [path, declared type] of every fact a record given whole lacks. A reference ({"number"} or
# {"plate"} alone) is resolved by the service; a record the registry does not know
# (found: false) has no facts to lack.
missing contains [concat(".", [sec, name]), typ] if {
	some sec in record_sections
	rec := input[sec]
	is_object(rec)
	not rec.found == false
	not reference(sec, rec)
	some name, typ in required_facts[sec]
	not has(rec, name)
}

# name: declared type of every fact a record given whole must have, by section.
required_facts[sec] := {name: spec.type |
	some name, spec in fields
	spec.record == true
	not spec.may_be_absent == true
} if {
	some sec, fields in sections
	record_sections[sec]
}

# has(obj, key): obj has key, whatever its value (false and null included), without building
# the set of its keys (object.keys) for each name asked about, which Regal's idiom does.
# regal ignore:custom-has-key-construct
has(obj, key) if {
	_ = obj[key]
}

reference(sec, rec) if {
	count(rec) == 1
	some name in key_fields[sec]
	rec[name]
}

# The key fields (number, plate) of every section.
key_fields[sec] := {name | some name, spec in fields; spec.key == true} if some sec, fields in sections

# fits(sec, name, v): v has the type the contract declares for field name of section sec
# (well_typed of that field's spec). The common cases are answered from tables read from data
# once, each a type test and a lookup, in the order of how many values have them (plain
# strings, integers, numbers, booleans, dates, objects); every other case, and any value a
# table does not admit, goes to well_typed, so a fast body only ever says what well_typed
# says. One call a value instead of two, and no spec fields read per value.
fits(sec, name, v) if {
	is_string(v)
	count(v) <= plain_max[sec][name]
} else if {
	is_number(v)
	spec := typed_fields.integer[sec][name]
	v >= spec.minimum
	v <= spec.maximum
	v == floor(v)
} else if {
	is_number(v)
	spec := typed_fields.number[sec][name]
	v >= spec.minimum
	v <= spec.maximum
} else if {
	is_boolean(v)
	typed_fields.boolean[sec][name]
} else if {
	typed_fields.date[sec][name]
	date_ok(v)
} else if {
	is_object(v)
	typed_fields.object[sec][name]
} else if {
	well_typed(sections[sec][name], v)
}

# The length limits of every plain string field (a string with no key, so a blank value is
# fine), by section.
plain_max[sec] := {name: spec.max_length |
	some name, spec in fields
	spec.type == "string"
	not spec.key == true
} if {
	some sec, fields in sections
}

# The fields of each type (name: spec), by type and section.
typed_fields[typ][sec] := {name: spec | some name, spec in fields; spec.type == typ} if {
	some typ in {"integer", "number", "boolean", "date", "object"}
	some sec, fields in sections
}

# well_typed(spec, v): v has the declared type of spec. One body per type, tried in turn
# (else), so a field costs one type test rather than seven; the types come in the order of how
# many fields have them (fields.json: strings, then objects, dates, ...), and the string checks
# are inline: this runs for every value of every application. One rule with seven bodies is
# longer than Regal's rule-length allows; splitting it would cost a call per value.
# regal ignore:rule-length
well_typed(spec, v) if {
	spec.type == "string"
	is_string(v)
	count(v) <= spec.max_length
	not blank_key(spec, v)
} else if {
	spec.type == "object"
	is_object(v)
} else if {
	spec.type == "date"
	date_ok(v)
} else if {
	spec.type == "boolean"
	is_boolean(v)
} else if {
	spec.type == "integer"
	is_number(v)
	v == floor(v)
	in_range(spec, v)
} else if {
	spec.type == "number"
	is_number(v)
	in_range(spec, v)
} else if {
	spec.type == "string_list"
	is_array(v)
	count(v) <= spec.max_items
	every x in v {
		is_string(x)
		count(x) <= spec.max_length
	}
}

date_ok(v) if {
	is_string(v)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, v)
	dates.valid(v)
}

# A blank number or plate references nothing.
blank_key(spec, v) if {
	spec.key == true
	not regex.match(`\S`, v)
}

in_range(spec, v) if {
	v >= spec.minimum
	v <= spec.maximum
}

type_names := data.data.fields.type_names

# METADATA
# title: 无法识别的数据：{field}
# description: >-
#   申请数据中某一项的类型或格式不正确（如日期不是真实的 YYYY-MM-DD 日期、数值写成了文字、是否项写成了文字），
#   规则无法判断，预审因此不予通过。正常情况下服务在评估前即以 INVALID_FIELD 拒绝此类数据；本规则是第二道防线。
# custom:
#   code: FIELD_MALFORMED
#   severity: error
#   basis: item
#   fix: 请将 {field} 改为{expected_name}后重新提交
#   message_en: 'Unreadable value: {field} must be {expected_name_en}'
#   shares_code: a malformed value and a missing fact are the same failure for the portal (a fact the rules cannot read); the messages differ, params.problem tells them apart
deny contains v if {
	some [field, typ] in malformed
	v := violation.make(rego.metadata.rule(), {
		"field": field,
		"params": {"expected": typ, "problem": "malformed"},
		"vars": {"expected_name": type_names[typ].name, "expected_name_en": type_names[typ].name_en},
	})
}

# METADATA
# title: 登记记录缺少必要信息：{field}
# description: >-
#   整条给出的从业资格证或车辆登记记录缺少规则所需的信息（如有效期、证件状态），规则无法判断，预审因此不予通过。
#   只给出证号或号牌时由系统从登记库查询完整记录。
# custom:
#   code: FIELD_MALFORMED
#   severity: error
#   basis: item
#   fix: 请补充 {field}（{expected_name}），或只给出证号/号牌由系统查询登记库
#   message_en: 'Registry record incomplete: {field} ({expected_name_en}) is required'
#   shares_code: see the malformed-value rule above; params.problem is missing here
deny contains v if {
	some [field, typ] in missing
	v := violation.make(rego.metadata.rule(), {
		"field": field,
		"params": {"expected": typ, "problem": "missing"},
		"vars": {"expected_name": type_names[typ].name, "expected_name_en": type_names[typ].name_en},
	})
}
