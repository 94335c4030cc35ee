# METADATA
# description: |
#   the 'ast' package provides the base functionality for working
#   with OPA's AST, more recently in the form of RoAST
package regal.ast

import data.regal.config
import data.regal.util

# METADATA
# description: set of Rego's scalar type
scalar_types := {"boolean", "null", "number", "string"}

# METADATA
# description: set containing names of all built-in functions counting as operators
operators := {
	"and",
	"assign",
	"div",
	"eq",
	"equal",
	"gt",
	"gte",
	"internal.member_2",
	"internal.member_3",
	"lt",
	"lte",
	"minus",
	"mul",
	"neq",
	"or",
	"plus",
	"rem",
}

# METADATA
# description: |
#   returns true if provided term is either a scalar or a collection of ground values
# scope: document
is_constant(term) if term.type in scalar_types

is_constant(term) if {
	term.type in {"array", "object", "set"}
	not has_term_var(term.value)
}

# METADATA
# description: true if provided term represents a wildcard (`_`) variable
is_wildcard(term) if {
	term.type == "var"
	startswith(term.value, "$")
}

default builtin_names := set()

# METADATA
# description: set containing the name of all built-in functions (given the active capabilities)
# scope: document
builtin_names := object.keys(config.capabilities.builtins)

# METADATA
# description: |
#   set containing the namespaces of all built-in functions (given the active capabilities),
#   like "http" in `http.send` or "sum" in `sum``
builtin_namespaces contains regex.replace(name, `\..*`, "") if some name in builtin_names

# METADATA
# description: |
#   provides the package path values (strings) as an array starting _from_ "data":
#   package foo.bar -> ["foo", "bar"]
package_path := [path.value | some path in array.slice(input.package.path, 1, 100)]

# METADATA
# description: |
#   provide the package name / path as originally declared in the
#   input policy, so "package foo.bar" would return "foo.bar"
package_name := concat(".", package_path)

# METADATA
# description: provides the full package name including the "data." prefix,
package_name_full := concat("", ["data.", package_name])

# METADATA
# description: provides all static string values from ref
named_refs(ref) := [term |
	some i, term in ref
	_is_name(term.type, i)
]

_is_name("var", 0)
_is_name("string", pos) if pos > 0

# METADATA
# description: all the rules (excluding functions) in the input AST
rules := [rule |
	some rule in _rules

	not rule.head.args
]

# METADATA
# description: all the test rules in the input AST
tests := [rule |
	some rule in rules
	some term in rule.head.ref

	startswith(term.value, "test_")
]

# METADATA
# description: all the functions declared in the input AST
functions := [rule |
	some rule in _rules
	rule.head.args
]

# METADATA
# description: |
#   all rules and functions in the input AST not denoted as private, i.e. excluding
#   any rule/function with a `_` prefix. it's not unthinkable that more ways to denote
#   private rules (or even packages), so using this rule should be preferred over
#   manually checking for this using the rule ref
public_rules_and_functions := [rule |
	some rule in _rules
	not startswith(rule.head.ref[0].value, "_")

	every term in array.slice(rule.head.ref, 1, 100) {
		[term.type, startswith(term.value, "_")] != ["string", true]
	}
]

# METADATA
# description: a list of the argument names for the given rule (if function)
function_arg_names(rule) := [arg.value | some arg in rule.head.args]

# METADATA
# description: all the rule and function names in the input AST
rule_and_function_names contains name if some name in rule_names_ordered

# METADATA
# description: all identifiers in the input AST (rule and function names, plus imported names)
identifiers := rule_and_function_names | imported_identifiers

# METADATA
# description: all rule names in the input AST (excluding functions)
rule_names contains name if {
	some i, name in rule_names_ordered

	not _rules[i].head.args
}

# METADATA
# description: all rule and function names in the input AST indexed by position
rule_names_ordered := [ref_static_to_string(rule.head.ref) | some rule in _rules]

# METADATA
# description: |
#   determine if var in var (e.g. `x` in `input[x]`) is used as input or output
#   input = variable value set elsewhere in the policy
#   output =  variable value set in this location (unification)
# scope: document
is_output_var(rule, var) if {
	# test the cheap and common case first, and 'else' only when it's not
	is_wildcard(var)
} else if {
	not var.value in (rule_names | imported_identifiers)

	num_above := count([1 |
		some above in find_vars_in_local_scope(rule, var.location)
		above.value == var.value
	])
	num_some := count([1 |
		some name in find_some_decl_names_in_scope(rule, var.location)
		name == var.value
	])

	# only the first ref variable in scope can be an output! meaning that:
	# allow if {
	#     some x
	#     input[x]    # <--- output
	#     data.bar[x] # <--- input
	# }
	num_above - num_some == 0
}

# METADATA
# description: |
#   a map containing all function calls (built-in and custom) in the input AST
#   keyed by rule index
function_calls[rule_index] contains call if {
	some rule_index
	ref := found.calls[rule_index][_]

	name := ref_to_string(ref[0].value)
	call := {
		"name": name,
		"location": ref[0].location,
		"args": [arg |
			some i, arg in array.slice(ref, 1, 100)

			arg.type != "call"
			["assign", 0] != [name, i]
		],
	}
}

# METADATA
# description: |
#   true if both ref values (terms) are equal in type
#   and value for each path component, ignoring locations
ref_value_equal(terms, other) if {
	count(terms) == count(other)

	every i, term in terms {
		term.type == other[i].type
		term.value == other[i].value
	}
}

# METADATA
# description: |
#   returns a new terms array made by extending terms with other,
#   where the first term of other transformed to string
extend_ref_terms(terms, other) := array.flatten([
	terms,
	object.union(other[0], {"type": "string"}),
	array.slice(other, 1, 100),
])

# METADATA
# description: |
#   true if all terms in `terms` are also present in `other`
#   regardless of length, and ignoring locations
is_terms_subset(terms, other) if {
	count(terms) <= count(other)

	every i, term in terms {
		term.type == other[i].type
		term.value == other[i].value
	}
}

# METADATA
# description: returns the "path" string of any given ref value
ref_to_string(ref) := concat("", array.flatten([ref[0].value, [_format_term(term) |
	some term in array.slice(ref, 1, 100)

	not term.type in {"call", "ref", "templatestring"}
]]))

_format_term(term) := concat("", [".", term.value]) if {
	term.type == "string"
	regex.match(`^[a-zA-Z_][a-zA-Z1-9_]*$`, term.value)
} else := sprintf(
	{
		"string": `["%v"]`,
		"var": `[%v]`,
		"number": `[%d]`,
		"boolean": `[%v]`,
	}[term.type],
	[term.value],
)

# METADATA
# description: |
#   returns the static prefic of a terms array
static_prefix(terms) := terms if {
	count(terms) == 1
} else := static if {
	static := array.slice(terms, 0, [i |
		some i, term in terms
		i > 0
		term.type == {"call", "var", "ref", "templatestring"}
	][0])
} else := terms

# METADATA
# description: |
#   returns the string representation of a ref up until its first
#   non-static (i.e. variable) value, if any:
#   foo.bar -> foo.bar
#   foo.bar[baz] -> foo.bar
ref_static_to_string(ref) := ref_to_string(array.slice(ref, 0, first_non_static)) if {
	first_non_static := [i |
		some i, term in ref
		i > 0
		term.type in {"call", "var", "ref", "templatestring"}
	][0]
} else := ref_to_string(ref)

# METADATA
# description: true if ref contains only static parts
static_ref(ref) if not _non_static_ref(ref)

# optimized inverse of static_ref benefitting from early exit
# 100 is used only as a reasonable (well...) upper limit for a ref, but the
# slice will be capped at the length of the ref anyway (avoids count)
# regal ignore:narrow-argument
_non_static_ref(ref) if array.slice(ref.value, 1, 100)[_].type in {"call", "var", "ref", "templatestring"}

# METADATA
# description: provides a set of names of all built-in functions called in the input policy
builtin_functions_called contains name if {
	name := function_calls[_][_].name
	name in builtin_names
}

# METADATA
# description: |
#   Returns custom functions declared in input policy in the same format as builtin capabilities
function_decls[name] := info if {
	names := {name |
		head := functions[_].head
		name := ref_static_to_string(head.ref)
	}
	heads := {name: heads[0] |
		some name in names

		heads := [rule.head |
			some rule in functions
			ref_static_to_string(rule.head.ref) == name
		]
	}

	some name, head in heads

	info := {
		"decl": {
			"args": [{"type": _custom_arg_type(arg.type), "name": arg.value} | some arg in head.args],
			"result": {"type": "any"},
		},
	}
}

_custom_arg_type(type) := type if type != "var"
_custom_arg_type("var") := "any"

# METADATA
# description: returns the args for function past the expected number of args
function_ret_args(fn_name, terms) := array.slice(terms, count(all_functions[fn_name].decl.args) + 1, 100)

# METADATA
# description: true if last argument of function is a return assignment
function_ret_in_args(fn_name, terms) if {
	# special case: print does not have a last argument as it's variadic
	fn_name != "print"

	terms[count(all_functions[fn_name].decl.args) + 1]
}

# METADATA
# description: answers if provided rule is implicitly assigned boolean true, i.e. allow if { .. } or not
# custom:
#   deprecated: |
#     this is now handled by the roast package, and there's little
#     point in using this over a `rule.head.value.location` check directly
# scope: document
implicit_boolean_assignment(rule) if not rule.head.value.location

# METADATA
# description: |
#   object containing all available built-in and custom functions in the
#   scope of the input AST, keyed by function name
all_functions := object.union(config.capabilities.builtins, function_decls)

# METADATA
# description: |
#   set containing all available built-in and custom function names in the
#   scope of the input AST
all_function_names := object.keys(all_functions)

# METADATA
# description: set containing the namespaces of all functions, built-in and custom
all_function_namespaces := builtin_namespaces | custom_function_namespaces

# METADATA
# description: set containing the namespaces of all custom functions
custom_function_namespaces contains regex.replace(name, `\..*`, "") if some name, _ in function_decls

# METADATA
# description: |
#   true if rule head contains no identifier, but is a chained rule body immediately following the previous one:
#   foo {
#       input.bar
#   } {	# <-- chained rule body
#       input.baz
#   }
is_chained_rule_body(rule, lines) if {
	head_loc := util.to_location_object(rule.head.location)

	row_text := lines[head_loc.row - 1]
	col_text := substring(row_text, head_loc.col - 1, -1)

	startswith(col_text, "{")
}

# METADATA
# description: answers whether variable of `name` is found anywhere in provided rule `head`
# scope: document
var_in_head(head, name) if {
	some type in ["key", "value"]
	has_named_var(head[type], name)
} else if {
	some term in array.slice(head.ref, 1, 100)
	has_named_var(term, name)
}

# METADATA
# description: |
#   true if var of `name` is referenced in any `calls` (likely,
#   `ast.function_calls`) in the rule of given `rule_index`
# scope: document
var_in_call(calls, rule_index, name) if has_named_var(calls[rule_index][_].args[_], name)

# METADATA
# description: answers wether provided expression is an assignment (using `:=`)
is_assignment(term) if {
	term.type == "ref"
	term.value[0].type == "var"
	term.value[0].value == "assign"
}

# METADATA
# description: returns the terms in an assignment (`:=`) expression, or undefined if not assignment
assignment_terms(terms) := [terms[1], terms[2]] if is_assignment(terms[0])

# METADATA
# description: |
#   For a given rule head name, this rule contains a list of locations where
#   there is a rule head with that name.
rule_head_locations[name] contains {"row": loc.row, "col": loc.col} if {
	some i, rule in _rules

	name := $"{package_name_full}.{rule_names_ordered[i]}"
	loc := util.to_location_object(rule.head.location)
}
