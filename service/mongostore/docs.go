package mongostore

import "github.com/roadcheck/roadcheck/service"

// Storage shapes live here so that service stays free of bson.

type qualificationDoc struct {
	Number               string   `bson:"_id"`
	HolderIDNumber       string   `bson:"holder_id_number,omitempty"`
	HolderName           string   `bson:"holder_name,omitempty"`
	Categories           []string `bson:"categories,omitempty"`
	FirstIssued          string   `bson:"first_issued,omitempty"`
	Expires              string   `bson:"expires,omitempty"`
	Status               string   `bson:"status,omitempty"`
	WorkUnit             string   `bson:"work_unit,omitempty"`
	InfoChanged          *bool    `bson:"info_changed,omitempty"`
	LastAssessedCycleEnd string   `bson:"last_assessed_cycle_end,omitempty"`
}

func qualificationFrom(q service.Qualification) qualificationDoc {
	return qualificationDoc{
		Number: q.Number, HolderIDNumber: q.HolderIDNumber, HolderName: q.HolderName,
		Categories: q.Categories, FirstIssued: q.FirstIssued, Expires: q.Expires, Status: q.Status,
		WorkUnit: q.WorkUnit, InfoChanged: q.InfoChanged, LastAssessedCycleEnd: q.LastAssessedCycleEnd,
	}
}

func (d qualificationDoc) toService() service.Qualification {
	return service.Qualification{
		Number: d.Number, HolderIDNumber: d.HolderIDNumber, HolderName: d.HolderName,
		Categories: d.Categories, FirstIssued: d.FirstIssued, Expires: d.Expires, Status: d.Status,
		WorkUnit: d.WorkUnit, InfoChanged: d.InfoChanged, LastAssessedCycleEnd: d.LastAssessedCycleEnd,
	}
}

type vehicleDoc struct {
	Plate               string   `bson:"_id"`
	PlateColour         string   `bson:"plate_colour,omitempty"`
	OwnerPermitNumber   string   `bson:"owner_permit_number,omitempty"`
	OwnerName           string   `bson:"owner_name,omitempty"`
	TransportCertNumber string   `bson:"transport_cert_number,omitempty"`
	CertIssued          string   `bson:"cert_issued,omitempty"`
	CertExpires         string   `bson:"cert_expires,omitempty"`
	CertStatus          string   `bson:"cert_status,omitempty"`
	GrossMassKg         *float64 `bson:"gross_mass_kg,omitempty"`
	DangerousGoods      *bool    `bson:"dangerous_goods,omitempty"`
	LastReview          string   `bson:"last_review,omitempty"`
}

func vehicleFrom(v service.Vehicle) vehicleDoc {
	return vehicleDoc{
		Plate: v.Plate, PlateColour: v.PlateColour, OwnerPermitNumber: v.OwnerPermitNumber,
		OwnerName: v.OwnerName, TransportCertNumber: v.TransportCertNumber, CertIssued: v.CertIssued,
		CertExpires: v.CertExpires, CertStatus: v.CertStatus, GrossMassKg: v.GrossMassKg,
		DangerousGoods: v.DangerousGoods, LastReview: v.LastReview,
	}
}

func (d vehicleDoc) toService() service.Vehicle {
	return service.Vehicle{
		Plate: d.Plate, PlateColour: d.PlateColour, OwnerPermitNumber: d.OwnerPermitNumber,
		OwnerName: d.OwnerName, TransportCertNumber: d.TransportCertNumber, CertIssued: d.CertIssued,
		CertExpires: d.CertExpires, CertStatus: d.CertStatus, GrossMassKg: d.GrossMassKg,
		DangerousGoods: d.DangerousGoods, LastReview: d.LastReview,
	}
}
