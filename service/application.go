package service

import (
	"github.com/roadcheck/roadcheck/policies"
)

// Application is the pre-check input document of the API contract (docs/api.md). Optional
// parts are pointers or omitempty so that "absent" reaches the rulebook as absent: every rule
// runs only when its fact is present.
type Application struct {
	Item          string         `json:"item"`
	AsOf          string         `json:"as_of,omitempty"`
	Applicant     *Applicant     `json:"applicant,omitempty"`
	Qualification *Qualification `json:"qualification,omitempty"`
	Vehicle       *Vehicle       `json:"vehicle,omitempty"`
	Form          Form           `json:"form,omitempty"`
	Materials     []Material     `json:"materials,omitempty"`

	// checked is the contract this document was read against by ParseApplication, so that the
	// evaluation it goes on to does not check it a second time.
	checked *policies.Contract
}

// Applicant is the person or operator applying.
type Applicant struct {
	Kind             string `json:"kind,omitempty"` // natural | legal
	IDNumber         string `json:"id_number,omitempty"`
	Name             string `json:"name,omitempty"`
	RealNameVerified *bool  `json:"real_name_verified,omitempty"`
	Phone            string `json:"phone,omitempty"`
	CreditCode       string `json:"credit_code,omitempty"`
	PermitNumber     string `json:"permit_number,omitempty"`
}

// Qualification is a 从业资格证 record: given whole by the portal, or as a reference
// ({"number": …}) that the service resolves from its registry.
type Qualification struct {
	Number               string   `json:"number,omitempty"`
	HolderIDNumber       string   `json:"holder_id_number,omitempty"`
	HolderName           string   `json:"holder_name,omitempty"`
	Categories           []string `json:"categories,omitempty"`
	FirstIssued          string   `json:"first_issued,omitempty"`
	Expires              string   `json:"expires,omitempty"`
	Status               string   `json:"status,omitempty"`
	WorkUnit             string   `json:"work_unit,omitempty"`
	InfoChanged          *bool    `json:"info_changed,omitempty"`
	LastAssessedCycleEnd string   `json:"last_assessed_cycle_end,omitempty"`
	// Found is false when the service could not resolve a reference; nil means "given whole".
	Found *bool `json:"found,omitempty"`
}

// IsReference reports whether only the number was given, so the registry must supply the rest.
// Anything more is a record given whole, which the contract requires to carry every fact.
func (q *Qualification) IsReference() bool {
	return q != nil && q.Number != "" && q.HolderIDNumber == "" && q.HolderName == "" && len(q.Categories) == 0 &&
		q.FirstIssued == "" && q.Expires == "" && q.Status == "" && q.WorkUnit == "" && q.InfoChanged == nil &&
		q.LastAssessedCycleEnd == "" && q.Found == nil
}

// Vehicle is a freight vehicle and its 道路运输证, given whole or as {"plate": …}.
type Vehicle struct {
	Plate               string   `json:"plate,omitempty"`
	PlateColour         string   `json:"plate_colour,omitempty"`
	OwnerPermitNumber   string   `json:"owner_permit_number,omitempty"`
	OwnerName           string   `json:"owner_name,omitempty"`
	TransportCertNumber string   `json:"transport_cert_number,omitempty"`
	CertIssued          string   `json:"cert_issued,omitempty"`
	CertExpires         string   `json:"cert_expires,omitempty"`
	CertStatus          string   `json:"cert_status,omitempty"`
	GrossMassKg         *float64 `json:"gross_mass_kg,omitempty"`
	DangerousGoods      *bool    `json:"dangerous_goods,omitempty"`
	LastReview          string   `json:"last_review,omitempty"`
	Found               *bool    `json:"found,omitempty"`
}

// IsReference reports whether only the plate was given.
func (v *Vehicle) IsReference() bool {
	return v != nil && v.Plate != "" && v.PlateColour == "" && v.OwnerPermitNumber == "" && v.OwnerName == "" &&
		v.TransportCertNumber == "" && v.CertIssued == "" && v.CertExpires == "" && v.CertStatus == "" &&
		v.GrossMassKg == nil && v.DangerousGoods == nil && v.LastReview == "" && v.Found == nil
}

// Form holds the form fields of all items together; each item reads only its own. Its fields
// and their types are policy data (policies/data/fields.json, section form), so a new form
// field is a data edit: the contract checks it, the rules read it.
type Form map[string]any

// Material is one uploaded document: an upload id (facts computed by the service from the
// bytes) or inline facts.
type Material struct {
	Kind       string   `json:"kind"`
	UploadID   string   `json:"upload_id,omitempty"`
	Format     string   `json:"format,omitempty"`
	SizeBytes  *int64   `json:"size_bytes,omitempty"`
	Width      *int     `json:"width,omitempty"`
	Height     *int     `json:"height,omitempty"`
	SHA256     string   `json:"sha256,omitempty"`
	Readable   *bool    `json:"readable,omitempty"`
	Background string   `json:"background,omitempty"`
	Sharpness  *float64 `json:"sharpness,omitempty"`
	Content    *Content `json:"content,omitempty"`
}
