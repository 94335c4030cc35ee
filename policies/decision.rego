# Entry point of the roadcheck rulebook.
#   data.roadcheck.decision   - violations and required materials for the application in input
#   data.roadcheck.catalogue  - the nine service items for portals (GET /v1/items); no input needed
# The Go service checks input.item, sorts violations, computes pass, deadlines and the revision.
#
# Layout: lib/ shared functions (dates, identifiers, materials, the violation builder);
# rules/ checks shared by several items, driven by data.data.items; items/ one file per item.
# Every number, name and citation the rules use is policy data (policies/data/*.json); numbers
# quoted in rule descriptions document the current regulation only.
package roadcheck

import data.roadcheck.lib.application as app
import data.roadcheck.lib.materials as mat

# METADATA
# entrypoint: true
decision := {
	"violations": violations,
	"required_materials": required_materials,
}

# Item rules (policies/items/<item>.rego) plus the shared rules (policies/rules/*.rego).
violations := item_violations | shared_violations

# An item with no rules of its own has no package in data.
default item_violations := set()

item_violations := data.roadcheck.items[input.item].deny

shared_violations contains v if {
	some topic # a key, not `some rules in ...`: only each package's deny is evaluated
	some v in data.roadcheck.rules[topic].deny # regal ignore:mixed-iteration
}

# Every material kind of the item, in catalogue order (items list them so); a conditional kind is
# required only when its form flag holds.
required_materials := [{
	"kind": m.kind,
	"name": entry.name,
	"name_en": entry.name_en,
	"required": m.kind in required,
} |
	catalogue := mat.catalogue
	required := mat.required
	some m in app.item.materials
	entry := catalogue[m.kind]
]

# METADATA
# entrypoint: true
catalogue := [catalogue_entry(code, data.data.items[code]) |
	some pair in sort([[it.seq, code] | some code, it in data.data.items])
	code := pair[1]
]

catalogue_entry(code, it) := {
	"code": code,
	"name": it.name,
	"name_en": it.name_en,
	"applicant": it.applicant,
	"subject": it.subject,
	"basis": data.data.citations[it.basis],
	"materials": [catalogue_material(m, data.data.materials[m.kind]) | some m in it.materials],
	"form_fields": [object.union(field_type(data.data.fields.sections.form[f.name]), f) | some f in it.form_fields],
	"reasons": it.reasons,
	"schema": concat("", ["/v1/items/", code, "/schema"]),
}

# The declared type of a form field as portals need it (the contract's schema has the rest).
field_type(spec) := object.filter(spec, {"type", "max_length", "minimum", "maximum", "max_items", "judged_by"})

catalogue_material(m, entry) := {
	"kind": m.kind,
	"name": entry.name,
	"name_en": entry.name_en,
	"required": false,
	"condition": concat(".", ["form", m.required_if]),
} if {
	m.required_if
} else := {
	"kind": m.kind,
	"name": entry.name,
	"name_en": entry.name_en,
	"required": true,
}
