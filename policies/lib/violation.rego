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
	"code": meta.custom.code,
	"severity": meta.custom.severity,
	"message": strings.replace_n(replacements, meta.title),
	"message_en": strings.replace_n(replacements, meta.custom.message_en),
	"basis": citation(meta.custom.basis),
	"fix": strings.replace_n(replacements, meta.custom.fix),
	"field": object.get(details, "field", ""),
	"material": material,
	"params": params,
} if {
	material := object.get(details, "material", "")
	params := object.get(details, "params", {})
	values := object.union(object.get(details, "vars", {}), params)
	replacements := object.union(material_placeholders(material), {concat("", ["{", k, "}"]): text(v) | some k, v in values})
}

# material_placeholders(kind): {material_name} and {material_name_en} of a material kind; an
# unknown kind (or none, "") is shown as itself.
material_placeholders(kind) := p if {
	p := placeholders_by_kind[kind]
} else := {"{material_name}": kind, "{material_name_en}": kind}

# The placeholders of every catalogue kind, from data alone (computed once).
placeholders_by_kind[kind] := {"{material_name}": entry.name, "{material_name_en}": entry.name_en} if {
	some kind, entry in mat.catalogue
}

# text(v): v as it is shown in a message; a string is itself (what sprintf("%v") gives, for
# less work: most placeholder values are strings).
text(v) := v if is_string(v)

else := sprintf("%v", [v])

# citation(key): the citation text of a basis key; "item" is the item's own regulation, and an
# unknown key is shown as itself. (A lookup, not a copy of data.data.citations with "item"
# added: that copy was made for every decision with a violation.)
citation(key) := data.data.citations[app.item.basis] if key == "item"

else := object.get(data.data.citations, key, key)
