package service_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// TestPolicyStatusNamesTheEvaluation: GET /v1/policies says which path decisions take, as the
// rulebook was loaded, under its JSON name.
func TestPolicyStatusNamesTheEvaluation(t *testing.T) {
	for _, ev := range []policies.Evaluator{policies.Compiled, policies.Interpreter} {
		book, err := policies.Load(context.Background(), policies.Builtin(), policies.WithEvaluator(ev))
		if err != nil {
			t.Fatal(err)
		}
		rules, err := service.NewRules(book)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := service.New(service.Config{Rules: rules, Store: service.Offline{}})
		if err != nil {
			t.Fatal(err)
		}
		st := svc.Policies(context.Background())
		b, _ := json.Marshal(st)
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil || doc["evaluation"] != string(ev) || st.Revision != book.Revision() {
			t.Errorf("loaded with %s: status %s", ev, b)
		}
	}
}
