# Indexes over the uploaded materials and the item's material list, computed once per decision.
package roadcheck.lib.materials

import data.roadcheck.lib.application as app

# Material catalogue by kind (names for messages).
by_kind := {m.kind: m | some m in data.data.materials}

# name(kind): Chinese name; an unknown kind is shown as itself.
name(kind) := by_kind[kind].name

name(kind) := kind if not by_kind[kind]

name_en(kind) := by_kind[kind].name_en

name_en(kind) := kind if not by_kind[kind]

# Kinds uploaded.
uploaded := {m.kind | some m in input.materials}

# Kinds the item asks for, whatever their condition (a conditional kind is never unexpected).
asked := {kind | some kind, _ in app.item.materials}

# Kinds required now: unconditional ones, and conditional ones whose form flag is true.
required := {kind | some kind, cfg in app.item.materials; condition_holds(cfg)}

condition_holds(cfg) if not cfg.required_if

condition_holds(cfg) if app.form[cfg.required_if] == true

missing := required - uploaded

# substitutes[kind]: uploaded kinds (in substitution-table order) standing in for the missing
# required kind. A kind the item itself asks for is never a substitute.
substitutes[kind] := subs if {
	some kind in missing
	subs := [s | some s in data.data.substitutions[kind]; s in uploaded; not s in asked]
	count(subs) > 0
}

substitute_kinds := {s | some subs in substitutes; some s in subs}

# duplicates[kind]: other kinds uploaded with the same file (sha256) as this kind.
duplicates[kind] := others if {
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
