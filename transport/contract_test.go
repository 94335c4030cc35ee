package transport

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/roadcheck/roadcheck/policies"
)

// renewal is a well-formed renewal document; the cases below break one thing in it.
const renewal = `{"item":"qualification_renewal","as_of":"2026-11-20",
 "applicant":{"kind":"natural","id_number":"410105198005170018","name":"张三","real_name_verified":true},
 "qualification":{"number":"Q1","holder_id_number":"410105198005170018","categories":["freight_driver"],
   "first_issued":"2020-12-01","expires":"2026-12-01","status":"valid","info_changed":false},
 "vehicle":{"plate":"豫A12345"},
 "form":{"delivery":"pickup"},
 "materials":[{"kind":"photo_2inch","width":413,"height":579}]}`

type contractErrorBody struct {
	Error struct {
		Code      string                `json:"code"`
		Message   string                `json:"message"`
		MessageEN string                `json:"message_en"`
		Field     string                `json:"field"`
		Expected  string                `json:"expected"`
		Errors    []policies.FieldError `json:"errors"`
	} `json:"error"`
}

// TestContractRefusesWhatNoRuleCanRead posts the malformed documents of issue 12 to both
// endpoints that evaluate and reads the error as a portal would.
func TestContractRefusesWhatNoRuleCanRead(t *testing.T) {
	tt := newTestTokens(t)
	r := strings.NewReplacer
	tests := []struct {
		name, body       string
		field, expected  string
		problem, inWords string
	}{
		{"expiry not a date", r(`"expires":"2026-12-01"`, `"expires":"not-a-date"`).Replace(renewal), "qualification.expires", "date", "format", "YYYY-MM-DD"},
		{"expiry empty", r(`"expires":"2026-12-01"`, `"expires":""`).Replace(renewal), "qualification.expires", "date", "format", "YYYY-MM-DD"},
		{"expiry null", r(`"expires":"2026-12-01"`, `"expires":null`).Replace(renewal), "qualification.expires", "date", "type", "null"},
		{"expiry impossible", r(`"expires":"2026-12-01"`, `"expires":"2026-13-45"`).Replace(renewal), "qualification.expires", "date", "format", "2026-13-45"},
		{"expiry absent from a whole record", r(`"expires":"2026-12-01",`, ``).Replace(renewal), "qualification.expires", "date", "missing", "registry record"},
		{"first issued 30 February", r(`"first_issued":"2020-12-01"`, `"first_issued":"2021-02-30"`).Replace(renewal), "qualification.first_issued", "date", "format", "YYYY-MM-DD"},
		{"vehicle expiry", r(`{"plate":"豫A12345"}`, `{"plate":"豫A12345","cert_expires":"soon"}`).Replace(renewal), "vehicle.cert_expires", "date", "format", "YYYY-MM-DD"},
		{"vehicle last review", r(`{"plate":"豫A12345"}`, `{"plate":"豫A12345","owner_permit_number":"1","transport_cert_number":"2","cert_expires":"2027-01-01","cert_status":"valid","gross_mass_kg":18000,"dangerous_goods":false,"last_review":"2025-1-1"}`).Replace(renewal), "vehicle.last_review", "date", "format", "YYYY-MM-DD"},
		{"number as text", r(`"width":413`, `"width":"413"`).Replace(renewal), "materials[0].width", "integer", "type", "integer"},
		{"negative number", r(`"width":413`, `"width":-1`).Replace(renewal), "materials[0].width", "integer", "range", "0 to"},
		{"boolean as text", r(`"info_changed":false`, `"info_changed":"no"`).Replace(renewal), "qualification.info_changed", "boolean", "type", "true or false"},
		{"misspelt form field", r(`"delivery":"pickup"`, `"delivry":"pickup"`).Replace(renewal), "form.delivry", "", "unknown", "did you mean form.delivery"},
		{"upper-case top-level key", r(`"as_of"`, `"AS_OF"`).Replace(renewal), "AS_OF", "", "unknown", "did you mean as_of"},
		{"upper-case nested key", r(`"expires"`, `"EXPIRES"`).Replace(renewal), "qualification.EXPIRES", "", "unknown", "did you mean qualification.expires"},
		{"duplicate key", r(`"delivery":"pickup"`, `"delivery":"pickup","delivery":"mail"`).Replace(renewal), "form.delivery", "", "duplicate", "duplicate"},
		{"section of the wrong type", r(`"form":{"delivery":"pickup"}`, `"form":"pickup"`).Replace(renewal), "form", "object", "type", "object"},
		{"as_of impossible", r(`"as_of":"2026-11-20"`, `"as_of":"2026-02-29"`).Replace(renewal), "as_of", "date", "format", "2026-02-29"},
	}
	for _, path := range []string{"/v1/precheck", "/v1/applications"} {
		for _, tc := range tests {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				svc := &fakeService{}
				h := NewHandler(svc, Config{Tokens: tt.tokens})
				res, b := do(t, h, "POST", path, tt.portal, tc.body)
				var e contractErrorBody
				if err := json.Unmarshal(b, &e); err != nil || res.StatusCode != 400 || e.Error.Code != "INVALID_FIELD" {
					t.Fatalf("= %d %s, want 400 INVALID_FIELD", res.StatusCode, b)
				}
				if e.Error.Field != tc.field || e.Error.Expected != tc.expected {
					t.Errorf("field %q expected %q, want %q %q: %s", e.Error.Field, e.Error.Expected, tc.field, tc.expected, b)
				}
				if len(e.Error.Errors) == 0 || e.Error.Errors[0].Problem != tc.problem {
					t.Errorf("errors %+v, want problem %s first", e.Error.Errors, tc.problem)
				}
				if !strings.Contains(e.Error.MessageEN, tc.inWords) || !strings.Contains(e.Error.Message, tc.field) || !hasHan(e.Error.Message) {
					t.Errorf("messages %q / %q do not say it (%q)", e.Error.Message, e.Error.MessageEN, tc.inWords)
				}
				if svc.calls != 0 {
					t.Errorf("a refused document reached the service")
				}
			})
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestContractReportsEveryFieldAtOnce: applicants see every problem at once.
func TestContractReportsEveryFieldAtOnce(t *testing.T) {
	tt := newTestTokens(t)
	body := strings.NewReplacer(`"expires":"2026-12-01"`, `"expires":"x"`, `"width":413`, `"width":1.5`,
		`"delivery":"pickup"`, `"delivry":"pickup"`, `"info_changed":false`, `"info_changed":null`).Replace(renewal)
	res, b := do(t, NewHandler(&fakeService{}, Config{Tokens: tt.tokens}), "POST", "/v1/precheck", tt.portal, body)
	var e contractErrorBody
	_ = json.Unmarshal(b, &e)
	var got []string
	for _, fe := range e.Error.Errors {
		got = append(got, fe.Field)
	}
	want := "form.delivry materials[0].width qualification.expires qualification.info_changed"
	if res.StatusCode != 400 || strings.Join(got, " ") != want {
		t.Errorf("= %d, fields %v, want %s: %s", res.StatusCode, got, want, b)
	}
}

// TestRuleJudgedValuesReachTheRules: a well-typed value outside its allowed set is the rules'
// to judge (FIELD_INVALID, REASON_NOT_ALLOWED, …), not a contract error.
func TestRuleJudgedValuesReachTheRules(t *testing.T) {
	tt := newTestTokens(t)
	for _, body := range []string{
		strings.Replace(renewal, `"delivery":"pickup"`, `"delivery":"courier"`, 1),
		strings.Replace(renewal, `"status":"valid"`, `"status":"lapsed"`, 1),
		strings.Replace(renewal, `"kind":"natural"`, `"kind":"alien"`, 1),
		strings.Replace(renewal, `"id_number":"410105198005170018"`, `"id_number":"123"`, 1),
		strings.Replace(renewal, `"categories":["freight_driver"]`, `"categories":["astronaut"]`, 1),
		strings.Replace(renewal, `"delivery":"pickup"`, `"delivery":"pickup","reason":"bored"`, 1),
		strings.Replace(renewal, `"qualification":{"number":"Q1","holder_id_number":"410105198005170018","categories":["freight_driver"],
   "first_issued":"2020-12-01","expires":"2026-12-01","status":"valid","info_changed":false}`, `"qualification":{"number":"Q1"}`, 1),
	} {
		svc := &fakeService{}
		res, b := do(t, NewHandler(svc, Config{Tokens: tt.tokens}), "POST", "/v1/precheck", tt.portal, body)
		if res.StatusCode != 200 || svc.calls != 1 {
			t.Errorf("= %d %s, want it passed to the rules", res.StatusCode, b)
		}
	}
}

// TestJSONBodiesMustSayJSON: any Content-Type is no longer read as JSON.
func TestJSONBodiesMustSayJSON(t *testing.T) {
	tt := newTestTokens(t)
	h := NewHandler(&fakeService{}, Config{Tokens: tt.tokens})
	for ct, want := range map[string]int{
		"application/json": 200, "application/json; charset=utf-8": 200, "": 415, "text/plain": 415,
		"application/x-www-form-urlencoded": 415, "multipart/form-data; boundary=x": 415,
	} {
		for _, path := range []string{"/v1/precheck", "/v1/certificates/c1/revoke"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(renewal))
			req.Header.Set("Authorization", "Bearer "+tt.admin)
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Code
			if path != "/v1/precheck" && got != 415 {
				got = 200 // the revoke body is refused for its fields, not its type: it was read as JSON
			}
			if got != want {
				t.Errorf("%s with Content-Type %q = %d %s, want %d", path, ct, rec.Code, rec.Body, want)
			}
		}
	}
}

func TestSchemaEndpoint(t *testing.T) {
	h := NewHandler(&fakeService{}, Config{})
	res, b := do(t, h, "GET", "/v1/items/qualification_renewal/schema", "", "")
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("= %d %s", res.StatusCode, b)
	}
	form := s["properties"].(map[string]any)["form"].(map[string]any)["properties"].(map[string]any)
	if d := form["delivery"].(map[string]any); d["type"] != "string" || d["x-judged-by"] != "FIELD_INVALID" {
		t.Errorf("form.delivery = %v", d)
	}
}

func TestOpenAPIUsesTheItemSchemas(t *testing.T) {
	res, b := do(t, NewHandler(&fakeService{}, Config{}), "GET", "/openapi.json", "", "")
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || res.StatusCode != 200 {
		t.Fatalf("= %d %v", res.StatusCode, err)
	}
	if !strings.Contains(string(doc.Components.Schemas["Application"]), "#/components/schemas/Application_qualification_renewal") {
		t.Errorf("Application does not refer to the item schema: %s", doc.Components.Schemas["Application"])
	}
	if !strings.Contains(string(doc.Components.Schemas["Application_qualification_renewal"]), `"x-judged-by"`) {
		t.Errorf("the item schema is not the contract's")
	}
	if !strings.Contains(string(doc.Components.Schemas["Error"]), `"STORED_DATA_INVALID"`) {
		t.Errorf("Error codes are not the catalogue's: %s", doc.Components.Schemas["Error"])
	}
	var up struct {
		Properties struct {
			Facts struct {
				Properties struct {
					Content struct {
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"content"`
				} `json:"properties"`
			} `json:"facts"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["Upload"], &up); err != nil {
		t.Fatal(err)
	}
	if c := up.Properties.Facts.Properties.Content.Properties; c["kind"] == nil || c["fields"] == nil || c["faces"] == nil {
		t.Errorf("Upload facts.content is not the contract's content: %s", doc.Components.Schemas["Upload"])
	}
}
