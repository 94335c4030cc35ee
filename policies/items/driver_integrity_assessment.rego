# 道路运输驾驶员诚信考核 (driver_integrity_assessment)
# Also applies (policies/rules/):
#   applicant     APPLICANT_KIND_MISMATCH, APPLICANT_NOT_VERIFIED, ID_NUMBER_INVALID, CREDIT_CODE_INVALID, PHONE_INVALID
#   form          FIELD_REQUIRED (work_unit)
#   qualification QUALIFICATION_NOT_FOUND, APPLICANT_NOT_HOLDER, QUALIFICATION_NOT_VALID, QUALIFICATION_EXPIRED
#   materials     MATERIAL_*, PHOTO_* (study_record, qualification_info_page, qualification_violation_page)
#
# Assessment windows: cycles run 12 months from first_issued. The k-th anniversary
# A_k = first_issued + 12k months (k >= 1, clamped to month end); the window of cycle k is
# A_k .. A_k + 20 days inclusive. Cycle k is done when last_assessed_cycle_end >= A_k.
package roadcheck.items.driver_integrity_assessment

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates
import data.roadcheck.lib.violation

cycle_months := data.data.windows.assessment_cycle_months

window_days := data.data.windows.assessment_window_days

anniversary(k) := dates.add_months(app.qualification.first_issued, k * cycle_months)

# Only two cycles can matter on as_of: the last one whose anniversary month is not after as_of's
# month (base), and the next. Locating base by month count avoids scanning every year since
# first issue.
base_cycle := max([1, (months - dates.floor_rem(months, cycle_months)) / cycle_months]) if {
	months := dates.months_between(app.qualification.first_issued, input.as_of)
}

base_opens_on := anniversary(base_cycle)

base_closes_on := dates.add_days(base_opens_on, window_days)

# The cycle whose window contains as_of (undefined outside every window).
current_cycle := base_cycle if {
	input.as_of >= base_opens_on
	input.as_of <= base_closes_on
}

# The window after as_of: the base cycle's if it has not opened yet, else the following one.
next_window := {"opens_on": base_opens_on, "closes_on": base_closes_on} if {
	input.as_of < base_opens_on
} else := {"opens_on": a, "closes_on": dates.add_days(a, window_days)} if {
	a := anniversary(base_cycle + 1)
}

# METADATA
# title: 从业资格证信息已发生变化，请先办理变更
# description: 申请诚信考核须确认从业资格证信息未发生变化；档案标记信息已变化时触发。
# custom:
#   code: QUALIFICATION_INFO_CHANGED
#   severity: error
#   basis: item
#   fix: 请先办理从业资格证变更，变更完成后再申请诚信考核
#   message_en: Qualification certificate information has changed; apply for a change first
deny contains v if {
	app.qualification.info_changed == true
	v := violation.make(rego.metadata.rule(), {"field": "qualification.info_changed"})
}

# METADATA
# title: 从业类别不适用诚信考核：仅限道路运输驾驶员
# description: 诚信考核仅适用于道路旅客运输、普通货运和危险货物运输驾驶员；从业资格证不含任何驾驶员类别（如仅为押运人员、装卸管理人员）时触发。
# custom:
#   code: CATEGORY_NOT_ELIGIBLE
#   severity: error
#   basis: item
#   fix: 诚信考核仅适用于{driver_categories}，本证件类别无需申请
#   message_en: Integrity assessment applies to driver categories only
deny contains v if {
	q := app.qualification
	not has_driver_category(q)
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.categories",
		# Keys in sorted order, explicitly: OPA's Wasm target iterates an object in hash order,
		# the interpreter in key order, and this list is message text.
		"vars": {"driver_categories": concat("、", [c.name |
			some k in sort(object.keys(data.data.categories))
			c := data.data.categories[k]
			c.driver == true
		])},
	})
}

has_driver_category(q) if {
	categories := data.data.categories
	some c in q.categories
	categories[c].driver == true
}

# METADATA
# title: 未到考核时间：考核周期届满后{days}日内方可申请诚信考核
# description: 诚信考核周期为12个月，自初次领证之日起算，须在每个考核周期届满后20日内申请；评估日期不在任何考核窗口内时触发，并给出下一个窗口。
# custom:
#   code: ASSESSMENT_NOT_DUE
#   severity: error
#   basis: item
#   fix: 请于{opens_on}至{closes_on}期间申请诚信考核
#   message_en: Not in an assessment window; the next window is {opens_on} to {closes_on}
deny contains v if {
	not current_cycle
	w := next_window
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.first_issued",
		"params": {"opens_on": w.opens_on, "closes_on": w.closes_on},
		"vars": {"days": window_days},
	})
}

# METADATA
# title: 本考核周期已完成诚信考核
# description: 评估日期处于第k个考核周期的申请窗口内，而该周期（届满日为第k个周年日）已经考核过时触发。
# custom:
#   code: ASSESSMENT_ALREADY_DONE
#   severity: error
#   basis: item
#   fix: 截至{cycle_end}的考核周期已完成考核，下一次请于{opens_on}至{closes_on}期间申请
#   message_en: The cycle ending {cycle_end} was already assessed; the next window is {opens_on} to {closes_on}
deny contains v if {
	k := current_cycle
	last := app.qualification.last_assessed_cycle_end
	last >= base_opens_on
	dates.valid(last)
	next_opens_on := anniversary(k + 1)
	v := violation.make(rego.metadata.rule(), {
		"field": "qualification.last_assessed_cycle_end",
		"params": {
			"cycle_end": base_opens_on,
			"opens_on": next_opens_on,
			"closes_on": dates.add_days(next_opens_on, window_days),
		},
	})
}
