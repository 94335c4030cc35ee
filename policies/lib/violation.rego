# The one violation builder. Every deny rule calls
#   violation.make(rego.metadata.rule(), {"field": ..., "material": ..., "params": {...}, "vars": {...}})
# and gets the public violation object. Code, severity, texts and basis come from the rule's
# metadata block; {name} placeholders in title, fix and message_en are filled from params, then
# vars (display-only values such as limits, not published in params), then {material_name} and
# {material_name_en} when a material is named. Values are strings or numbers (join lists first).
# The metadata basis is a key of data.data.citations; the key "item" means the item's own
# regulation; an unknown key is shown as itself rather than dropping the violation.
package roadcheck.lib.violation

import data.roadcheck.lib.application as app
import data.roadcheck.lib.materials as mat

make(meta, details) := {
	"code": custom.code,
	"severity": custom.severity,
	"message": strings.replace_n(replacements, meta.title),
	"message_en": strings.replace_n(replacements, custom.message_en),
	"basis": basis_text(custom.basis),
	"fix": strings.replace_n(replacements, custom.fix),
	"field": object.get(details, "field", ""),
	"material": material,
	"params": params,
} if {
	custom := meta.custom
	params := object.get(details, "params", {})
	material := object.get(details, "material", "")
	values := object.union_n([material_vars(material), object.get(details, "vars", {}), params])
	replacements := {concat("", ["{", k, "}"]): sprintf("%v", [v]) | some k, v in values}
}

material_vars(kind) := {} if {
	kind == ""
} else := {"material_name": mat.name(kind), "material_name_en": mat.name_en(kind)}

basis_text("item") := data.data.citations[app.item.basis]

basis_text(key) := text if {
	key != "item"
	text := object.get(data.data.citations, key, key)
}
