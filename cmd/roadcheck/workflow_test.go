package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

type submission struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	AcceptBy string `json:"accept_by"`
	ResultBy string `json:"result_by"`
	History  []struct {
		By, Action, Reason string
	} `json:"history"`
	Decision decision `json:"decision"`
}

func decodeSubmission(t *testing.T, b []byte) submission {
	t.Helper()
	var s submission
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return s
}

// TestWorkflowHTTP walks 申请 → 核查 → 审验 through the API of the running service.
func TestWorkflowHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the full service")
	}
	data := t.TempDir()
	tok := writeTokenFile(t, data, map[string]service.Role{
		"portal-a": service.RolePortal, "portal-b": service.RolePortal,
		"reviewer": service.RoleReviewer, "admin": service.RoleAdmin,
	})
	s := startServer(t, data, "--tokens", filepath.Join(data, "tokens.json"))

	// The fixture's qualification expires 2026-12-01; with the real clock the decision may pass
	// or not, so the registry record used here is made current relative to today.
	today := time.Now().In(service.ChinaTime)
	expires := today.AddDate(0, 0, 10).Format("2006-01-02")
	line := `{"number":"Q410100000001","holder_id_number":"410105198005170018","holder_name":"张三","categories":["freight_driver"],"first_issued":"2020-12-01","expires":"` + expires + `","status":"valid","info_changed":false}` + "\n" + `{"number":""}`
	code, body := s.callType(t, "POST", "/v1/registry/qualifications", tok["admin"], "application/x-ndjson", strings.NewReader(line))
	if code != 200 || !strings.Contains(string(body), `"upserted":1`) || !strings.Contains(string(body), `"line":2`) {
		t.Fatalf("import = %d %s", code, body)
	}
	if code, _ := s.callType(t, "POST", "/v1/registry/qualifications", tok["portal-a"], "application/x-ndjson", strings.NewReader(line)); code != 403 {
		t.Errorf("a portal imported: %d", code)
	}

	app := map[string]any{}
	_ = json.Unmarshal(fixture(t, "renewal_pass.json"), &app)
	app["qualification"] = map[string]any{"number": "Q410100000001"}
	doc, _ := json.Marshal(app)

	submit := func(token, key string, doc []byte) (int, []byte) {
		req, _ := http.NewRequest("POST", s.base+"/v1/applications", bytes.NewReader(doc))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(res.Body)
		return res.StatusCode, buf.Bytes()
	}
	code, body = submit(tok["portal-a"], "order-1", doc)
	if code != 201 {
		t.Fatalf("submit = %d %s", code, body)
	}
	sub := decodeSubmission(t, body)
	if sub.Status != "submitted" || sub.AcceptBy == "" || !sub.Decision.Pass || sub.Decision.AsOf != today.Format("2006-01-02") {
		t.Errorf("submission = %+v", sub)
	}
	if code, body := submit(tok["portal-a"], "order-1", doc); code != 200 || decodeSubmission(t, body).ID != sub.ID {
		t.Errorf("idempotent repeat = %d %s", code, body)
	}

	failing := bytes.Replace(doc, []byte(`"delivery":"pickup"`), []byte(`"delivery":"drone"`), 1)
	code, body = submit(tok["portal-a"], "", failing)
	if code != 422 || errCode(t, body) != "PRECHECK_FAILED" || !strings.Contains(string(body), `"FIELD_INVALID"`) {
		t.Errorf("failing submission = %d %s", code, body)
	}

	if code, _ := s.call(t, "GET", "/v1/applications/"+sub.ID, tok["portal-b"], nil); code != 404 {
		t.Errorf("portal B reads portal A's application: %d", code)
	}
	if code, body := s.call(t, "GET", "/v1/applications?applicant_id=410105198005170018&limit=10", tok["portal-a"], nil); code != 200 || !strings.Contains(string(body), sub.ID) {
		t.Errorf("我的办件 = %d %s", code, body)
	}
	if code, body := s.call(t, "GET", "/v1/review/queue?status=submitted", tok["reviewer"], nil); code != 200 || !strings.Contains(string(body), sub.ID) {
		t.Errorf("queue = %d %s", code, body)
	}
	if code, _ := s.call(t, "GET", "/v1/review/queue", tok["portal-a"], nil); code != 403 {
		t.Errorf("a portal read the queue: %d", code)
	}

	// Twelve reviewers accept at once: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := s.call(t, "POST", "/v1/applications/"+sub.ID+"/accept", tok["reviewer"], nil)
			mu.Lock()
			statuses[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[200] != 1 || statuses[409] != 11 {
		t.Errorf("12 concurrent accepts: %v, want one 200 and eleven 409", statuses)
	}
	code, body = s.call(t, "POST", "/v1/applications/"+sub.ID+"/deny", tok["reviewer"], strings.NewReader(`{}`))
	if code != 400 || errCode(t, body) != "REASON_REQUIRED" {
		t.Errorf("deny without reason = %d %s", code, body)
	}
	code, body = s.call(t, "POST", "/v1/applications/"+sub.ID+"/approve", tok["reviewer"], nil)
	if code != 200 || decodeSubmission(t, body).Status != "approved" {
		t.Errorf("approve = %d %s", code, body)
	}
	code, body = s.call(t, "GET", "/v1/applications/"+sub.ID, tok["portal-a"], nil)
	got := decodeSubmission(t, body)
	if code != 200 || len(got.History) != 3 || got.History[1].Action != "accept" || got.History[1].By != "reviewer" || got.ResultBy == "" {
		t.Errorf("history = %d %+v", code, got)
	}
}

// buildBinary compiles roadcheck once for the durability tests, which must kill a real process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "roadcheck")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return bin
}

type process struct {
	cmd  *exec.Cmd
	base string
	out  *syncBuffer
}

func startProcess(t *testing.T, bin, data string) *process {
	t.Helper()
	addr := freeAddr(t)
	p := &process{base: "http://" + addr, out: &syncBuffer{}}
	p.cmd = exec.Command(bin, "serve", "--addr", addr, "--data", data, "--log-format", "json")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("roadcheck did not become ready\n%s", p.out)
	return nil
}

// TestDurability: every application acknowledged with 201 is there after a SIGTERM restart
// and after a kill -9 restart on the embedded store.
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			data := t.TempDir()
			p := startProcess(t, bin, data)
			portal := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-portal.token")))))
			app := map[string]any{}
			_ = json.Unmarshal(fixture(t, "renewal_pass.json"), &app)
			// A registry-free document that passes whatever today is: expiry 10 days ahead.
			app["qualification"].(map[string]any)["expires"] = time.Now().In(service.ChinaTime).AddDate(0, 0, 10).Format("2006-01-02")
			doc, _ := json.Marshal(app)

			var acked []string
			for range 40 {
				req, _ := http.NewRequest("POST", p.base+"/v1/applications", bytes.NewReader(doc))
				req.Header.Set("Authorization", "Bearer "+portal)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var s submission
				_ = json.NewDecoder(res.Body).Decode(&s)
				res.Body.Close()
				if res.StatusCode != 201 {
					t.Fatalf("submit = %d %+v", res.StatusCode, s.Decision.Violations)
				}
				acked = append(acked, s.ID)
			}
			// Right after the last acknowledgement, with no pause for anything to settle.
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := p.cmd.Wait()
			if sig == syscall.SIGTERM && err != nil {
				t.Errorf("SIGTERM exit: %v\n%s", err, p.out)
			}

			assertServed(t, startProcess(t, bin, data), data, acked, "acknowledged before "+sig.String())
		})
	}
}

// assertServed checks that a (restarted) service answers every one of ids.
func assertServed(t *testing.T, p *process, data string, ids []string, what string) {
	t.Helper()
	admin := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-admin.token")))))
	for _, id := range ids {
		req, _ := http.NewRequest("GET", p.base+"/v1/applications/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("application %s %s is %d after restart", id, what, res.StatusCode)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
