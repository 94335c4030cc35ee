package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func noEnv(string) string { return "" }

// server is a roadcheck serve started in-process by run, as main would.
type server struct {
	base   string
	data   string
	out    *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func startServer(t *testing.T, data string, extra ...string) *server {
	t.Helper()
	return startServerTB(t, data, extra...)
}

func startServerTB(t testing.TB, data string, extra ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{base: "http://" + addr, data: data, out: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args := append([]string{"roadcheck", "serve", "--addr", addr, "--data", data}, extra...)
	go func() { s.done <- run(ctx, args, noEnv, nil, s.out, s.out) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve exited early: %v\n%s", err, s.out)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not answer /healthz within 60s\n%s", s.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *server) stop(t testing.TB) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve returned %v\n%s", err, s.out)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not shut down within 60s\n%s", s.out)
	}
}

func (s *server) token(t *testing.T, role string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.data, "dev-"+role+".token"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func (s *server) call(t *testing.T, method, path, token string, body io.Reader) (int, []byte) {
	t.Helper()
	return s.callType(t, method, path, token, "application/json", body)
}

func (s *server) callType(t *testing.T, method, path, token, contentType string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type decision struct {
	Item       string `json:"item"`
	AsOf       string `json:"as_of"`
	Pass       bool   `json:"pass"`
	Violations []struct {
		Code, Severity, Message, Fix, Field, Material string
		Params                                        map[string]any
	} `json:"violations"`
	RequiredMaterials []struct {
		Kind     string `json:"kind"`
		Name     string `json:"name"`
		Required bool   `json:"required"`
	} `json:"required_materials"`
	Deadlines *struct {
		AcceptBy    string `json:"accept_by"`
		ResultBy    string `json:"result_by"`
		Provisional bool   `json:"provisional"`
	} `json:"deadlines"`
	PolicyRevision string `json:"policy_revision"`
}

func (d decision) codes() []string {
	var out []string
	for _, v := range d.Violations {
		out = append(out, v.Code+"/"+v.Material+v.Field)
	}
	return out
}

func (d decision) has(code string) bool {
	for _, v := range d.Violations {
		if v.Code == code {
			return true
		}
	}
	return false
}

func errCode(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("not an error envelope: %s", b)
	}
	return e.Error.Code
}

// TestRun starts the real service (embedded FerretDB, built-in rulebook) on a free port, as a
// new user's `make run` does, and calls the API with the development tokens it printed.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	data := t.TempDir()
	s := startServer(t, data)
	if out := s.out.String(); !strings.Contains(out, "roadcheck listening on http://") ||
		!strings.Contains(out, filepath.Join(data, "dev-admin.token")) {
		t.Errorf("serve did not print where it listens and where the admin token is:\n%s", out)
	}
	admin, portal, reviewer := s.token(t, "admin"), s.token(t, "portal"), s.token(t, "reviewer")

	// No OCR assets next to this test's working directory: the service runs, and says so.
	if code, b := s.call(t, "GET", "/readyz", "", nil); code != 200 || !strings.Contains(string(b), `"ocr":"unavailable"`) {
		t.Errorf("readyz = %d %s, want 200 with details.ocr unavailable", code, b)
	}
	if !strings.Contains(s.out.String(), "ocr unavailable") {
		t.Errorf("serve did not log that OCR is unavailable:\n%s", s.out)
	}

	code, b := s.call(t, "POST", "/v1/precheck", portal, bytes.NewReader(fixture(t, "renewal_too_early.json")))
	if code != 200 {
		t.Fatalf("precheck = %d %s", code, b)
	}
	var d decision
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.Pass || !d.has("RENEWAL_TOO_EARLY") || !d.has("MATERIAL_MISSING") || d.Deadlines != nil {
		t.Errorf("too-early renewal: pass=%v codes=%v deadlines=%v", d.Pass, d.codes(), d.Deadlines)
	}
	if !strings.HasPrefix(d.PolicyRevision, "sha256:") || len(d.PolicyRevision) != len("sha256:")+64 {
		t.Errorf("policy_revision = %q", d.PolicyRevision)
	}

	// The printed admin token may pre-check too (admin may do what a portal does).
	code, b = s.call(t, "POST", "/v1/precheck", admin, bytes.NewReader(fixture(t, "renewal_pass.json")))
	if code != 200 {
		t.Fatalf("precheck = %d %s", code, b)
	}
	d = decision{}
	_ = json.Unmarshal(b, &d)
	if !d.Pass || d.Deadlines == nil || d.Deadlines.AcceptBy != "2026-11-25" || d.Deadlines.ResultBy != "2026-11-30" {
		t.Errorf("passing renewal: pass=%v codes=%v deadlines=%+v", d.Pass, d.codes(), d.Deadlines)
	}

	for _, tc := range []struct {
		name, token, body string
		status            int
		code              string
	}{
		{"unknown item", portal, string(fixture(t, "unknown_item.json")), 400, "UNKNOWN_ITEM"},
		{"malformed JSON", portal, string(fixture(t, "malformed.json")), 400, "INVALID_JSON"},
		{"bad date", portal, string(fixture(t, "bad_date.json")), 400, "INVALID_FIELD"},
		{"no token", "", string(fixture(t, "renewal_pass.json")), 401, "UNAUTHENTICATED"},
		{"reviewer", reviewer, string(fixture(t, "renewal_pass.json")), 403, "FORBIDDEN"},
		{"oversize", portal, `{"item":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "BODY_TOO_LARGE"},
	} {
		code, b := s.call(t, "POST", "/v1/precheck", tc.token, strings.NewReader(tc.body))
		if code != tc.status || errCode(t, b) != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, code, b, tc.status, tc.code)
		}
	}

	code, b = s.call(t, "GET", "/v1/items", "", nil)
	var items struct {
		Items []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &items); code != 200 || err != nil || len(items.Items) != 9 {
		t.Errorf("items = %d, %d items (%v)", code, len(items.Items), err)
	}

	code, b = s.call(t, "GET", "/metrics", "", nil)
	if code != 200 || !strings.Contains(string(b), `roadcheck_http_requests_total{code="200",route="POST /v1/precheck"} 2`) {
		t.Errorf("metrics = %d, missing the pre-check count", code)
	}

	s.stop(t)
	out := s.out.String()
	for _, want := range []string{"http server stopped", "store driver closed", "embedded store stopped"} {
		if !strings.Contains(out, want) {
			t.Errorf("shutdown log lacks %q", want)
		}
	}
	if i, j, k := strings.Index(out, "http server stopped"), strings.Index(out, "store driver closed"), strings.Index(out, "embedded store stopped"); !(i < j && j < k) {
		t.Errorf("shutdown order is not HTTP, driver, embedded store:\n%s", out)
	}

	// A restart on the same data directory keeps the development tokens.
	s2 := startServer(t, data)
	if code, b := s2.call(t, "POST", "/v1/precheck", portal, bytes.NewReader(fixture(t, "renewal_pass.json"))); code != 200 {
		t.Errorf("after restart the old portal token gives %d %s", code, b)
	}
}

func TestPrecheckCommand(t *testing.T) {
	tests := []struct {
		file string
		exit int
		want string
	}{
		{"renewal_pass.json", 0, `"pass": true`},
		{"renewal_too_early.json", 1, `"RENEWAL_TOO_EARLY"`},
		{"unknown_item.json", 2, `"UNKNOWN_ITEM"`},
		{"malformed.json", 2, `"INVALID_JSON"`},
		{"bad_date.json", 2, `"INVALID_FIELD"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"roadcheck", "precheck", filepath.Join("testdata", tt.file)}, noEnv, nil, &out, &out)
			if got := exitCode(err); got != tt.exit {
				t.Errorf("exit = %d (%v), want %d\n%s", got, err, tt.exit, out.String())
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output lacks %s:\n%s", tt.want, out.String())
			}
		})
	}
}

// TestPrecheckEvaluators: both evaluation paths print the same decision; an unknown one is a
// usage error, on the command line and in ROADCHECK_EVAL.
func TestPrecheckEvaluators(t *testing.T) {
	outputs := map[string]string{}
	for _, ev := range []string{"compiled", "interpreter"} {
		var out bytes.Buffer
		err := run(context.Background(), []string{"roadcheck", "precheck", "--eval", ev, filepath.Join("testdata", "renewal_too_early.json")}, noEnv, nil, &out, &out)
		if exitCode(err) != 1 {
			t.Fatalf("--eval %s: exit %d (%v)\n%s", ev, exitCode(err), err, out.String())
		}
		outputs[ev] = out.String()
	}
	if outputs["compiled"] != outputs["interpreter"] {
		t.Errorf("compiled:\n%s\ninterpreter:\n%s", outputs["compiled"], outputs["interpreter"])
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"roadcheck", "precheck", "--eval", "wasm", "x.json"}, noEnv, nil, &out, &out); exitCode(err) != 2 || !strings.Contains(out.String(), "unknown evaluator") {
		t.Errorf("--eval wasm: exit %d\n%s", exitCode(err), out.String())
	}
	out.Reset()
	env := func(k string) string {
		if k == "ROADCHECK_EVAL" {
			return "fast"
		}
		return ""
	}
	if err := run(context.Background(), []string{"roadcheck", "precheck", "x.json"}, env, nil, &out, &out); exitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), "ROADCHECK_EVAL") {
		t.Errorf("ROADCHECK_EVAL=fast: exit %d (%v)\n%s", exitCode(err), err, out.String())
	}
}

func TestCommandUsageErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"roadcheck", "precheck", "missing.json"}, noEnv, nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("missing file: exit %d", exitCode(err))
	}
	if err := run(context.Background(), []string{"roadcheck", "precheck"}, noEnv, nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("no file: exit %d", exitCode(err))
	}
	if err := run(context.Background(), []string{"roadcheck", "frobnicate"}, noEnv, nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("unknown command: exit %d", exitCode(err))
	}
	if err := run(context.Background(), []string{"roadcheck", "serve", "--log-format", "xml"}, noEnv, nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("bad flag value: exit %d", exitCode(err))
	}
	if err := run(context.Background(), []string{"roadcheck", "precheck", "--policies", "/nonexistent", "testdata/renewal_pass.json"}, noEnv, nil, &out, &out); exitCode(err) != 2 {
		t.Errorf("bad policy dir: exit %d", exitCode(err))
	}
}

func TestVersionLine(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "1763fb1"}, {Key: "vcs.time", Value: "2026-12-02T02:37:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := versionLine(bi, true), "roadcheck v1.4.0 1763fb1+dirty 2026-12-02T02:37:00Z go1.26.8"; got != want {
		t.Errorf("versionLine = %q, want %q", got, want)
	}
	if got := versionLine(&debug.BuildInfo{GoVersion: "go1.26.8"}, true); got != "roadcheck (devel) go1.26.8" {
		t.Errorf("without VCS: %q", got)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"roadcheck", "--version"}, noEnv, nil, &out, &out); err != nil || !strings.HasPrefix(out.String(), "roadcheck ") {
		t.Errorf("--version = %v %q", err, out.String())
	}
}

// Every subcommand answers -h with its usage and exit status 0.
func TestEverySubcommandHasHelp(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {"precheck"}, {"replay"}, {"fsck"}, {"verify"}, {"keys"}, {"keys", "new"}, {"keys", "rotate"}, {"keys", "trustlist"}} {
		var out bytes.Buffer
		err := run(context.Background(), append(append([]string{"roadcheck"}, cmd...), "-h"), noEnv, nil, &out, &out)
		if exitCode(err) != 0 || !strings.Contains(out.String(), "usage") && !strings.Contains(out.String(), "Usage") {
			t.Errorf("%v -h: exit %d, output %q", cmd, exitCode(err), out.String())
		}
	}
}
