# Vehicle and road transport certificate (道路运输证) checks shared by the four vehicle items
# (subject "vehicle" in data.data.items). Codes whose set of items varies are listed per item
# under shared_checks in data.data.items.
package roadcheck.rules.vehicle

import data.roadcheck.lib.application as app
import data.roadcheck.lib.dates
import data.roadcheck.lib.violation

applies if app.item.subject == "vehicle"

checks := {c | some c in app.item.shared_checks}

status_names := data.data.labels.cert_status

# METADATA
# title: 未查询到车辆信息
# description: 按车牌号在车辆档案中查不到车辆记录时触发；此时不再进行需要车辆记录的其他检查。
# custom:
#   code: VEHICLE_NOT_FOUND
#   severity: error
#   basis: item
#   fix: 请核对车牌号码，或联系原发证机关核实车辆档案
#   message_en: No vehicle record found for the plate
deny contains v if {
	applies
	not app.vehicle
	v := violation.make(rego.metadata.rule(), {
		"field": "vehicle.plate",
		"params": {"plate": object.get(object.get(input, "vehicle", {}), "plate", "")},
	})
}

# METADATA
# title: 申请人不是车辆所属经营者
# description: 车辆档案中的经营许可证号与申请人绑定的经营许可证号不一致时触发；只能由车辆所属经营者申请。
# custom:
#   code: APPLICANT_NOT_OWNER
#   severity: error
#   basis: item
#   fix: 请使用车辆所属经营者的法人账号并绑定其道路运输经营许可证后申请
#   message_en: Applicant is not the operator that owns the vehicle
deny contains v if {
	veh := app.vehicle
	not same_permit(object.get(app.applicant, "permit_number", ""), object.get(veh, "owner_permit_number", ""))
	v := violation.make(rego.metadata.rule(), {"field": "applicant.permit_number"})
}

same_permit(a, b) if {
	a != ""
	a == b
}

# METADATA
# title: 道路运输证状态异常：{status_name}
# description: 车辆道路运输证状态不是“有效”（已注销、已吊销等）时触发；适用于全部车辆事项。
# custom:
#   code: TRANSPORT_CERT_NOT_VALID
#   severity: error
#   basis: item
#   fix: 道路运输证当前状态为{status_name}，不能办理本事项，请联系原发证机关
#   message_en: 'Road transport certificate is not valid (status: {cert_status})'
deny contains v if {
	veh := app.vehicle
	status := object.get(veh, "cert_status", "")
	status != "valid"
	v := violation.make(rego.metadata.rule(), {
		"field": "vehicle.cert_status",
		"params": {"cert_status": status},
		"vars": {"status_name": object.get(status_names, status, data.data.labels.unknown)},
	})
}

# METADATA
# title: 道路运输证已过有效期（{cert_expires}届满）
# description: 评估日期晚于道路运输证有效期截止日时触发；适用于年审、补发和注销。
# custom:
#   code: TRANSPORT_CERT_EXPIRED
#   severity: error
#   basis: item
#   fix: 道路运输证已于{cert_expires}届满，请先办理道路运输证换发
#   message_en: Road transport certificate expired on {cert_expires}
deny contains v if {
	"TRANSPORT_CERT_EXPIRED" in checks
	expires := app.vehicle.cert_expires
	input.as_of > expires
	dates.valid(expires)
	v := violation.make(rego.metadata.rule(), {"field": "vehicle.cert_expires", "params": {"cert_expires": expires}})
}

# METADATA
# title: 总质量{max_kg}千克及以下普通货运车辆无需道路运输证
# description: 总质量不超过4.5吨的普通货运车辆（非危险货物运输）自2019年1月1日起不再配发道路运输证，因此无需年审、补发或换发。
# custom:
#   code: TRANSPORT_CERT_NOT_REQUIRED
#   severity: error
#   basis: mot_2018_light_freight
#   fix: 该车辆总质量为{gross_mass_kg}千克，无需办理道路运输证相关业务，请勿提交申请
#   message_en: Ordinary freight vehicles of {max_kg} kg gross mass or less need no road transport certificate
deny contains v if {
	"TRANSPORT_CERT_NOT_REQUIRED" in checks
	mass := app.vehicle.gross_mass_kg
	is_number(mass)
	mass <= data.data.limits.light_freight_max_gross_mass_kg
	not app.vehicle.dangerous_goods == true
	v := violation.make(rego.metadata.rule(), {
		"field": "vehicle.gross_mass_kg",
		"params": {"gross_mass_kg": mass},
		"vars": {"max_kg": data.data.limits.light_freight_max_gross_mass_kg},
	})
}
