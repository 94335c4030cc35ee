# The one violation builder. Every deny rule calls
#   violation.make(rego.metadata.rule(), {"field": ..., "material": ..., "params": {...}, "vars": {...}})
# and gets the public violation object. Code, severity, texts and basis come from the rule's
# metadata block; {name} placeholders in title, fix and message_en are filled from params, then vars
# (display-only values such as limits, not published in params), then {material_name} and
# {material_name_en} when a material is named. The metadata basis is a key of data.data.citations;
# the key "item" means the item's own regulation.
package roadcheck.lib.violation

import data.roadcheck.lib.application as app
import data.roadcheck.lib.materials as mat

make(meta, details) := {
	"code": meta.custom.code,
	"severity": meta.custom.severity,
	"message": fill(meta.title, vars),
	"message_en": fill(meta.custom.message_en, vars),
	"basis": basis_text(meta.custom.basis),
	"fix": fill(meta.custom.fix, vars),
	"field": field,
	"material": material,
	"params": params,
} if {
	params := object.get(details, "params", {})
	field := object.get(details, "field", "")
	material := object.get(details, "material", "")
	vars := object.union_n([material_vars(material), object.get(details, "vars", {}), params])
}

material_vars("") := {}

material_vars(kind) := {"material_name": mat.name(kind), "material_name_en": mat.name_en(kind)} if kind != ""

# basis_text(key): citation text; an unknown key is shown as itself rather than dropping the rule.
basis_text("item") := data.data.citations[app.item.basis]

basis_text(key) := object.get(data.data.citations, key, key) if key != "item"

fill(template, vars) := strings.replace_n({sprintf("{%s}", [k]): text(v) | some k, v in vars}, template)

text(v) := v if is_string(v)

text(v) := concat("、", [sprintf("%v", [x]) | some x in v]) if is_array(v)

text(v) := sprintf("%v", [v]) if {
	not is_string(v)
	not is_array(v)
}
