# Indexes over the uploaded materials and the item's material list, computed once per decision.
package roadcheck.lib.materials

import data.roadcheck.lib.application as app

# The material catalogue (kind -> names), read once per decision.
catalogue := data.data.materials

# name(kind) / name_en(kind): catalogue names; an unknown kind is shown as itself.
name(kind) := n if {
	n := catalogue[kind].name
} else := kind

name_en(kind) := n if {
	n := catalogue[kind].name_en
} else := kind

# Kinds uploaded.
uploaded contains m.kind if some m in input.materials

# Kinds the item asks for, whatever their condition (a conditional kind is never unexpected).
asked contains m.kind if some m in app.item.materials

# Kinds required now: unconditional ones, and conditional ones whose form flag is true.
# (Rule values used inside a loop are bound to a local first: a local is much cheaper to read.)
required := {m.kind | some m in app.item.materials; not m.required_if} | {m.kind |
	form := app.form
	some m in app.item.materials
	form[m.required_if] == true
}

missing := required - uploaded

# substitutes[kind]: uploaded kinds (in substitution-table order) standing in for the missing
# required kind. A kind the item itself asks for is never a substitute.
substitutes[kind] := subs if {
	have := uploaded - misdeclared
	asked_kinds := asked
	some kind in missing
	subs := [s | some s in data.data.substitutions[kind]; s in have; not s in asked_kinds]
	count(subs) > 0
}

substitute_kinds contains s if {
	some subs in substitutes
	some s in subs
}

# Kinds every upload of which the document reader surely read as another kind (data/content.json
# thresholds): the applicant uploaded some other document under that label, so the label stands
# in for nothing; rules/content.rego reports MATERIAL_KIND_MISMATCH on it instead.
misdeclared contains kind if {
	some kind in uploaded
	every m in [m | some m in input.materials; m.kind == kind] {
		surely_other(m)
	}
}

surely_other(m) if {
	cfg := data.data.content
	c := m.content
	c.status == "read"
	is_number(c.confidence)
	c.confidence >= cfg.kind_min_confidence
	is_string(c.kind)
	c.kind != m.kind
	not c.kind in cfg.never_mismatch
}

# File hashes given, to find one file uploaded as two kinds.
hashes := [m.sha256 | some m in input.materials]

# duplicates[kind]: other kinds uploaded with the same file (sha256) as this kind. The pairwise
# scan only runs when some hash repeats.
duplicates[kind] := others if {
	count({h | some h in hashes}) < count(hashes)
	some kind in uploaded
	others := {b.kind |
		some a in input.materials
		a.kind == kind
		is_string(a.sha256)
		a.sha256 != ""
		some b in input.materials
		b.kind != kind
		b.sha256 == a.sha256
	}
	count(others) > 0
}
