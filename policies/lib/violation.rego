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

defaults := {"field": "", "material": "", "params": {}, "vars": {}}

make(meta, details) := {
	"code": meta.custom.code,
	"severity": meta.custom.severity,
	"message": strings.replace_n(replacements, meta.title),
	"message_en": strings.replace_n(replacements, meta.custom.message_en),
	"basis": object.get(citations, meta.custom.basis, meta.custom.basis),
	"fix": strings.replace_n(replacements, meta.custom.fix),
	"field": d.field,
	"material": d.material,
	"params": d.params,
} if {
	d := object.union(defaults, details)
	names := object.get(mat.catalogue, d.material, {"name": d.material, "name_en": d.material})
	values := object.union_n([{"material_name": names.name, "material_name_en": names.name_en}, d.vars, d.params])
	replacements := {concat("", ["{", k, "}"]): text(v) | some k, v in values}
}

# text(v): v as it is shown in a message; a string is itself (what sprintf("%v") gives, for
# less work: most placeholder values are strings).
text(v) := v if is_string(v)

else := sprintf("%v", [v])

# Citation texts by key, plus "item" for the item's own regulation (built once per decision).
citations := object.union(data.data.citations, {"item": data.data.citations[app.item.basis]}) if {
	app.item
} else := data.data.citations
