package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
)

// policyDir writes the built-in rulebook to a directory, as policy staff would have it.
func policyDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, policies.Builtin()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// edit replaces old with new in a policy file, failing the test if old is not there.
func edit(t *testing.T, dir, file, old, new string) {
	t.Helper()
	p := filepath.Join(dir, file)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

type policyStatus struct {
	Revision    string `json:"revision"`
	Reloadable  bool   `json:"reloadable"`
	Evaluation  string `json:"evaluation"`
	LastRefused *struct {
		Error string `json:"error"`
	} `json:"last_refused"`
}

func (s *server) policyStatus(t *testing.T, admin string) policyStatus {
	t.Helper()
	code, body := s.call(t, "GET", "/v1/policies", admin, nil)
	var st policyStatus
	if err := json.Unmarshal(body, &st); code != 200 || err != nil {
		t.Fatalf("GET /v1/policies = %d %s", code, body)
	}
	return st
}

// TestPolicyReload: a broken candidate is refused and the service keeps answering on the old
// revision; a harmless edit reloads with a new revision; --watch picks edits up by itself.
func TestPolicyReload(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	dir := policyDir(t)
	data := t.TempDir()
	s := startServer(t, data, "--policies", dir, "--watch")
	admin := s.token(t, "admin")
	first := s.policyStatus(t, admin)
	if !first.Reloadable || !strings.HasPrefix(first.Revision, "sha256:") || first.Evaluation != "compiled" {
		t.Fatalf("status = %+v", first)
	}
	precheckRevision := func() string {
		code, body := s.call(t, "POST", "/v1/precheck", admin, bytes.NewReader(fixture(t, "renewal_too_early.json")))
		var d decision
		if err := json.Unmarshal(body, &d); code != 200 || err != nil {
			t.Fatalf("precheck = %d %s", code, body)
		}
		return d.PolicyRevision
	}
	waitRevision := func(want func(string) bool) string {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if rev := s.policyStatus(t, admin).Revision; want(rev) {
				return rev
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the revision did not change as expected")
		return ""
	}

	// A syntax error: refused by the compiler (the watcher sees it too and refuses it).
	edit(t, dir, "items/qualification_renewal.rego", "deny contains v if {", "deny contains v if {{")
	code, body := s.call(t, "POST", "/v1/policies/reload", admin, nil)
	if code != 422 || errCode(t, body) != "POLICY_REJECTED" || !strings.Contains(string(body), "qualification_renewal.rego") {
		t.Errorf("broken reload = %d %s", code, body)
	}
	if rev := precheckRevision(); rev != first.Revision {
		t.Errorf("after a refused reload the service answers with %s, want %s", rev, first.Revision)
	}
	if st := s.policyStatus(t, admin); st.Revision != first.Revision || st.LastRefused == nil {
		t.Errorf("status after refusal = %+v", st)
	}
	edit(t, dir, "items/qualification_renewal.rego", "deny contains v if {{", "deny contains v if {")

	// A parameter change that the rulebook's own boundary tests catch: refused, naming the tests.
	edit(t, dir, "data/windows.json", `"renewal_opens_days_before_expiry": 30`, `"renewal_opens_days_before_expiry": 31`)
	code, body = s.call(t, "POST", "/v1/policies/reload", admin, nil)
	if code != 422 || !strings.Contains(string(body), "test_") {
		t.Errorf("reload with failing tests = %d %s", code, body)
	}
	edit(t, dir, "data/windows.json", `"renewal_opens_days_before_expiry": 31`, `"renewal_opens_days_before_expiry": 30`)

	// A harmless edit (a comment): accepted, new revision, served at once.
	edit(t, dir, "items/qualification_renewal.rego", "package roadcheck.items.qualification_renewal", "package roadcheck.items.qualification_renewal\n\n# Reviewed 2026-11.")
	code, body = s.call(t, "POST", "/v1/policies/reload", admin, nil)
	var st policyStatus
	_ = json.Unmarshal(body, &st)
	if code != 200 || st.Revision == first.Revision {
		t.Fatalf("harmless reload = %d %s", code, body)
	}
	if rev := precheckRevision(); rev != st.Revision {
		t.Errorf("pre-check answers with %s after reload to %s", rev, st.Revision)
	}

	// --watch: another edit is picked up without a request.
	edit(t, dir, "items/qualification_renewal.rego", "# Reviewed 2026-11.", "# Reviewed 2026-12.")
	waitRevision(func(rev string) bool { return rev != st.Revision && rev != first.Revision })

	if code, _ := s.call(t, "POST", "/v1/policies/reload", s.token(t, "portal"), nil); code != 403 {
		t.Errorf("a portal reloaded the policies: %d", code)
	}
}

// TestReplay: a stricter candidate shows the decisions it changes; the same rulebook none.
func TestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	data := t.TempDir()
	s := startServer(t, data)
	portal := s.token(t, "portal")
	app := map[string]any{}
	_ = json.Unmarshal(fixture(t, "renewal_pass.json"), &app)
	// Expiry 10 days ahead: inside the 30-day window, outside a 5-day one.
	app["qualification"].(map[string]any)["expires"] = time.Now().In(service.ChinaTime).AddDate(0, 0, 10).Format("2006-01-02")
	doc, _ := json.Marshal(app)
	var ids []string
	for range 3 {
		code, body := s.call(t, "POST", "/v1/applications", portal, bytes.NewReader(doc))
		if code != 201 {
			t.Fatalf("submit = %d %s", code, body)
		}
		ids = append(ids, decodeSubmission(t, body).ID)
	}
	s.stop(t) // the embedded store is one process's at a time

	same := policyDir(t)
	var out bytes.Buffer
	err := run(context.Background(), []string{"roadcheck", "replay", "--policies", same, "--data", data}, noEnv, nil, &out, &out)
	if exitCode(err) != 0 || !regexp.MustCompile(`3 applications evaluated in [0-9.]+ s \([0-9]+ a second\), 0 decisions change`).MatchString(out.String()) {
		t.Errorf("replay with the same rulebook: exit %d\n%s", exitCode(err), out.String())
	}

	stricter := policyDir(t)
	edit(t, stricter, "data/windows.json", `"renewal_opens_days_before_expiry": 30`, `"renewal_opens_days_before_expiry": 5`)
	out.Reset()
	err = run(context.Background(), []string{"roadcheck", "replay", "--policies", stricter, "--data", data, "--json"}, noEnv, nil, &out, &out)
	if exitCode(err) != 1 {
		t.Fatalf("replay with a stricter rulebook: exit %d (%v)\n%s", exitCode(err), err, out.String())
	}
	var rep service.ReplayReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Evaluated != 3 || rep.Changed != 3 || len(rep.Changes) != 3 {
		t.Fatalf("report = %+v", rep)
	}
	for _, c := range rep.Changes {
		if !c.PassBefore || c.PassAfter || len(c.Added) != 1 || c.Added[0] != "RENEWAL_TOO_EARLY@qualification.expires" || len(c.Removed) != 0 {
			t.Errorf("change = %+v", c)
		}
	}
	if rep.Changes[0].Application != ids[0] {
		t.Errorf("changes are not oldest first: %s, want %s", rep.Changes[0].Application, ids[0])
	}

	if err := run(context.Background(), []string{"roadcheck", "replay"}, noEnv, nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("replay without --policies: exit %d", exitCode(err))
	}
}
