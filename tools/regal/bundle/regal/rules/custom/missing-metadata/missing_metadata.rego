# METADATA
# description: Package or rule missing metadata
# related_resources:
#   - description: documentation
#     ref: https://www.openpolicyagent.org/projects/regal/rules/custom/missing-metadata
package regal.rules.custom["missing-metadata"]

import future.keywords.not

import data.regal.ast
import data.regal.config
import data.regal.result
import data.regal.util

# METADATA
# description: aggregates annotations on package declarations and rules
aggregate contains {
	"package_annotated": _package_annotated,
	"package_location": util.to_location_object(input.package.location),
	"rule_annotations": _rule_annotations,
	"rule_locations": _rule_locations,
}

default _package_annotated := false

_package_annotated if input.package.annotations

_rule_annotations[rule_path] contains annotated if {
	some rule in ast.public_rules_and_functions

	rule_path := $"{ast.package_name}.{ast.ref_static_to_string(rule.head.ref)}"
	annotated := object.get(rule, "annotations", []) != []
}

_rule_locations[rule_path] := location if {
	some rule_path, annotated in _rule_annotations

	# we only care about locations of non-annotated rules
	not true in annotated

	first_rule_index := [i |
		some i

		# false positive: https://github.com/open-policy-agent/regal/issues/1353
		# regal ignore:unused-output-variable
		ref := ast.public_rules_and_functions[i].head.ref
		concat(".", [ast.package_name, ast.ref_static_to_string(ref)]) == rule_path
	][0]

	ref := ast.public_rules_and_functions[first_rule_index].head.ref
	location := object.remove(result.ranged_from_ref(ref).location, ["file"])
}

# METADATA
# description: report packages without metadata
# schemas:
#   - input: schema.regal.aggregate
aggregate_report contains violation if {
	cfg := config.rules.custom["missing-metadata"]

	some pkg_path, aggs in _package_path_aggs
	every item in aggs {
		item[1].package_annotated == false
	}

	not regex.match(cfg["except-package-path-pattern"], pkg_path)

	[file, item] := sort(aggs)[0]

	violation := result.fail(rego.metadata.chain(), {"location": object.union(item.package_location, {"file": file})})
}

# METADATA
# description: report rules without metadata annotationsfile
# schemas:
#   - input: schema.regal.aggregate
aggregate_report contains violation if {
	cfg := config.rules.custom["missing-metadata"]

	some rule_path, aggregates in _rule_path_aggs

	every aggregate in aggregates {
		aggregate.annotated == false
	}

	not regex.match(cfg["except-rule-path-pattern"], rule_path)

	any_item := util.any_set_item(aggregates)

	violation := result.fail(rego.metadata.chain(), {"location": object.union(any_item.location, {
		"file": any_item.file,
		"text": split(any_item.location.text, "\n")[0],
	})})
}

# METADATA
# schemas:
#   - input: schema.regal.aggregate
_package_path_aggs[pkg_name] contains [file, item] if {
	some file, items in _aggregates
	some item in items
	pkg_name := input.aggregates_internal[file].common.package_name
}

# METADATA
# schemas:
#   - input: schema.regal.aggregate
_rule_path_aggs[rule_path] contains agg if {
	some file, items in _aggregates
	some item in items
	some rule_path, annotations in item.rule_annotations

	agg := {
		"file": file,
		"location": item.rule_locations[rule_path],
		"annotated": true in annotations,
	}
}

# METADATA
# schemas:
#   - input: schema.regal.aggregate
_aggregates[file] := input.aggregates_internal[file]["custom/missing-metadata"] if some file
