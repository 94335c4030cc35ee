package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/roadcheck/roadcheck/service"
)

// DefaultMaxImportBytes bounds one registry import (JSON lines).
const DefaultMaxImportBytes = 64 << 20

type submitRequest struct {
	doc     []byte
	idemKey string
}

func decodeSubmit(limit int64) func(context.Context, *http.Request) (any, error) {
	return func(_ context.Context, r *http.Request) (any, error) {
		doc, err := readJSONBody(r, limit)
		if err != nil {
			return nil, err
		}
		return submitRequest{doc: doc, idemKey: r.Header.Get("Idempotency-Key")}, nil
	}
}

// submitResponse carries the status the outcome calls for: 201 created, 200 for a replayed
// idempotent request, 422 when the pre-check failed.
type submitResponse struct {
	status int
	body   any
}

func submitOutcome(res service.SubmitResult) submitResponse {
	if res.Submission == nil {
		return submitResponse{status: http.StatusUnprocessableEntity, body: map[string]any{
			"error":    errorBodyOf(service.NewError(service.CodePrecheckFailed, "", "", "")).Error,
			"decision": res.Decision,
		}}
	}
	status := http.StatusCreated
	if res.Replayed {
		status = http.StatusOK
	}
	return submitResponse{status: status, body: res.Submission}
}

func encodeSubmit(ctx context.Context, w http.ResponseWriter, resp any) error {
	r := resp.(submitResponse)
	if r.status == http.StatusOK {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return encodeJSON(r.status)(ctx, w, r.body)
}

type reviewRequest struct {
	id     string
	action service.Action
	Reason string `json:"reason"`
	Grade  string `json:"grade"`
}

func decodeReview(action service.Action, limit int64) func(context.Context, *http.Request) (any, error) {
	return func(_ context.Context, r *http.Request) (any, error) {
		req := reviewRequest{id: r.PathValue("id"), action: action}
		// The body is optional for accept; when present it must be this object.
		var v struct {
			Reason string `json:"reason"`
			Grade  string `json:"grade"`
		}
		if err := decodeOptionalJSON(r, limit, &v); err != nil {
			return nil, err
		}
		req.Reason, req.Grade = v.Reason, v.Grade
		return req, nil
	}
}

func decodeID(_ context.Context, r *http.Request) (any, error) { return r.PathValue("id"), nil }

func decodeList(_ context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := service.ListFilter{ApplicantID: q.Get("applicant_id")}
	var err error
	if f.Limit, err = intParam(q.Get("limit"), "limit"); err != nil {
		return nil, err
	}
	if f.Offset, err = intParam(q.Get("offset"), "offset"); err != nil {
		return nil, err
	}
	return f, nil
}

func decodeQueue(_ context.Context, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := service.QueueFilter{Status: service.Status(q.Get("status")), Item: q.Get("item")}
	switch q.Get("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		return nil, invalidUpload("overdue", "overdue must be true or false", "overdue 只能为 true 或 false")
	}
	var err error
	if f.Limit, err = intParam(q.Get("limit"), "limit"); err != nil {
		return nil, err
	}
	return f, nil
}

func intParam(s, name string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, invalidUpload(name, name+" must be a non-negative integer", name+" 必须是非负整数")
	}
	return n, nil
}

type importRequest struct {
	kind service.RegistryKind
	body io.Reader
}

func decodeImport(kind service.RegistryKind, limit int64) func(context.Context, *http.Request) (any, error) {
	return func(_ context.Context, r *http.Request) (any, error) {
		return importRequest{kind: kind, body: &limitedReader{r: r.Body, limit: limit}}, nil
	}
}

func importError(err error, limit int64) error {
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return decodeError(err, limit)
	}
	return err
}

// decodeOptionalJSON decodes a body that may be absent; one that is present must be sent as
// application/json and decode strictly.
func decodeOptionalJSON(r *http.Request, limit int64, v any) error {
	body, err := ReadLimited(r.Body, limit)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := requireJSON(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	return service.DecodeStrict(body, v)
}
