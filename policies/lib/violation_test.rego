package roadcheck.lib.violation_test

import data.roadcheck.lib.violation

meta := {
	"title": "未到换证时间：有效期届满前{days}日内方可申请换证",
	"custom": {
		"code": "RENEWAL_TOO_EARLY",
		"severity": "error",
		"basis": "qualification_art29",
		"fix": "请于{opens_on}起申请",
		"message_en": "Too early to renew; renewal opens {days} days before expiry",
	},
}

test_make_fills_placeholders_from_params_and_vars if {
	v := violation.make(meta, {
		"field": "qualification.expires",
		"params": {"opens_on": "2026-11-01"},
		"vars": {"days": 30},
	})
	v == {
		"code": "RENEWAL_TOO_EARLY",
		"severity": "error",
		"message": "未到换证时间：有效期届满前30日内方可申请换证",
		"message_en": "Too early to renew; renewal opens 30 days before expiry",
		"basis": "《道路运输从业人员管理规定》第二十九条",
		"fix": "请于2026-11-01起申请",
		"field": "qualification.expires",
		"material": "",
		"params": {"opens_on": "2026-11-01"},
	}
}

test_make_defaults if {
	v := violation.make(meta, {})
	v.field == ""
	v.material == ""
	v.params == {}
	v.fix == "请于{opens_on}起申请" # unknown placeholders stay visible
}

test_make_material_names if {
	m := {"title": "缺少{material_name}", "custom": object.union(meta.custom, {"message_en": "Missing {material_name_en}"})}
	v := violation.make(m, {"material": "photo_2inch"})
	v.message == "缺少近期二寸正面免冠彩色证件照"
	v.message_en == "Missing Recent 2-inch colour ID photo, frontal, bareheaded"
	v.material == "photo_2inch"
}

test_make_unknown_material_shows_kind if {
	m := {"title": "多余{material_name}", "custom": object.union(meta.custom, {"message_en": "{material_name_en}"})}
	v := violation.make(m, {"material": "passport"})
	v.message == "多余passport"
	v.message_en == "passport"
}

test_basis_item_resolves_to_item_regulation if {
	m := {"title": "x", "custom": object.union(meta.custom, {"basis": "item"})}
	v := violation.make(m, {}) with input as {"item": "qualification_cancellation"}
	v.basis == "《道路运输从业人员管理规定》第三十二条"
}

# Without a known item (or with an item whose basis has no citation) "item" is shown as itself.
test_basis_item_without_item_is_kept if {
	m := {"title": "x", "custom": object.union(meta.custom, {"basis": "item"})}
	violation.make(m, {}).basis == "item" with input as {"item": "no_such_item"}
	violation.make(m, {}).basis == "item" with input as {}
}

test_basis_unknown_key_is_kept if {
	m := {"title": "x", "custom": object.union(meta.custom, {"basis": "no_such_key"})}
	violation.make(m, {}).basis == "no_such_key"
}

test_numbers_in_text if {
	m := {"title": "{a}|{n}|{f}", "custom": meta.custom}
	violation.make(m, {"vars": {"a": "遗失、毁损", "n": 10, "f": 0.66}}).message == "遗失、毁损|10|0.66"
}
