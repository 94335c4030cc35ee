package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// cpuTime counts the CPU this process burns: spinning advances it (slowly when other work
// shares the cores, hence the generous wall time), and sleeping adds almost
// nothing.
func TestCPUTime(t *testing.T) {
	c0 := cpuTime()
	for end := time.Now().Add(10 * time.Second); cpuTime()-c0 < 30*time.Millisecond; {
		if time.Now().After(end) {
			t.Fatalf("10 s of spinning counted %v of CPU", cpuTime()-c0)
		}
	}
	c1 := cpuTime()
	time.Sleep(50 * time.Millisecond)
	if slept := cpuTime() - c1; slept > 40*time.Millisecond {
		t.Errorf("50 ms of sleep counted %v of CPU", slept)
	}
}

// BenchmarkSubmit32 measures POST /v1/applications on the embedded store with 32 concurrent
// clients over loopback: submissions per second, latency percentiles, and the CPU time of the
// process per submission (server, embedded store and the load's clients together), since on
// a saturated machine latency follows from the CPU a submission costs.
//
//	go test ./cmd/roadcheck -run '^$' -bench Submit32 -benchtime 2000x
//
// BENCH_IDEMPOTENCY=1 sends each submission with an Idempotency-Key of its own, as portals do:
// the service then looks the key's id up before evaluating.
func BenchmarkSubmit32(b *testing.B) {
	data := b.TempDir()
	s, portal, doc := submissionServer(b, data)

	workers := 32
	if w := os.Getenv("BENCH_WORKERS"); w != "" {
		workers = int(must(strconv.Atoi(w)))
	}
	var prepare []func(*http.Request)
	if os.Getenv("BENCH_IDEMPOTENCY") != "" {
		var n atomic.Int64
		prepare = append(prepare, func(r *http.Request) { r.Header.Set("Idempotency-Key", "bench-"+strconv.FormatInt(n.Add(1), 10)) })
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	rate, lat := load(b, s.base+"/v1/applications", portal, doc, b.N, workers, http.StatusCreated, prepare...)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if len(lat) > 0 {
		pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(rate, "submissions/s")
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/op")
	}
}

// load sends n POSTs of body from concurrent clients over keep-alive connections and returns
// the completed requests per second and their latencies, sorted. A status other than want
// fails the benchmark. prepare, if given, sets up each request (headers) before it is sent.
func load(b *testing.B, url, token string, body []byte, n, workers, want int, prepare ...func(*http.Request)) (float64, []time.Duration) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	lat := make([]time.Duration, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for range jobs {
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				for _, p := range prepare {
					p(req)
				}
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(t0)
				if res.StatusCode != want {
					b.Errorf("%s: status %d", url, res.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	return float64(len(lat)) / elapsed.Seconds(), lat
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// submissionServer starts the service on data and returns it, the development portal's token
// and a renewal that passes (expiring in 10 days) to submit.
func submissionServer(b *testing.B, data string) (*server, string, []byte) {
	s := startServerB(b, data)
	portal := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-portal.token")))))
	app := map[string]any{}
	_ = json.Unmarshal(fixtureB(b, "renewal_pass.json"), &app)
	app["qualification"].(map[string]any)["expires"] = time.Now().In(service.ChinaTime).AddDate(0, 0, 10).Format("2006-01-02")
	doc, _ := json.Marshal(app)
	return s, portal, doc
}

func startServerB(b *testing.B, data string) *server {
	// startServer needs a *testing.T for its helpers; a benchmark adapts through testing.TB.
	return startServerTB(b, data)
}

func fixtureB(b *testing.B, name string) []byte {
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkPrecheckVsOPA compares POST /v1/precheck with an OPA server (the same OPA version,
// `opa run --server` on the same policy directory) evaluating data.roadcheck.decision on the
// same document, each under 32 concurrent clients over loopback, one after the other. OPA is
// built with `go install` into a temporary directory (from the module cache once it is warm).
//
//	go test ./cmd/roadcheck -run '^$' -bench PrecheckVsOPA -benchtime 20000x
func BenchmarkPrecheckVsOPA(b *testing.B) {
	bin := b.TempDir()
	install := exec.Command("go", "install", "github.com/open-policy-agent/opa@"+opaVersion)
	install.Env = append(os.Environ(), "GOBIN="+bin)
	if out, err := install.CombinedOutput(); err != nil {
		b.Skipf("cannot build opa %s: %v\n%s", opaVersion, err, out)
	}
	addr := freeAddr(b)
	opa := exec.Command(filepath.Join(bin, "opa"), "run", "--server", "--addr", addr,
		"--log-level", "error", "--disable-telemetry", "../../policies")
	if err := opa.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = opa.Process.Kill(); _ = opa.Wait() }()
	opaBase := "http://" + addr
	waitHealthy(b, opaBase+"/health")

	data := b.TempDir()
	s := startServerB(b, data)
	portal := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-portal.token")))))
	doc := fixtureB(b, "renewal_pass.json")
	opaBody := []byte(`{"input":` + string(doc) + `}`)

	// Both answer the same decision: OPA's violations are roadcheck's, unsorted.
	check := func(url, token string, body []byte) []byte {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			b.Fatalf("%s = %d %s", url, res.StatusCode, out)
		}
		return out
	}
	if out := check(opaBase+"/v1/data/roadcheck/decision", "", opaBody); !bytes.Contains(out, []byte(`"violations":[]`)) {
		b.Fatalf("OPA's decision: %s", out)
	}
	if out := check(s.base+"/v1/precheck", portal, doc); !bytes.Contains(out, []byte(`"pass":true`)) {
		b.Fatalf("roadcheck's decision: %s", out)
	}

	b.ResetTimer()
	ours, _ := load(b, s.base+"/v1/precheck", portal, doc, b.N, 32, http.StatusOK)
	theirs, _ := load(b, opaBase+"/v1/data/roadcheck/decision", "", opaBody, b.N, 32, http.StatusOK)
	b.StopTimer()
	b.ReportMetric(ours, "roadcheck-req/s")
	b.ReportMetric(theirs, "opa-req/s")
	b.ReportMetric(ours/theirs, "ratio")
}

// opaVersion is the OPA the Makefile runs and go.mod requires.
const opaVersion = "v1.22.2"

func waitHealthy(b *testing.B, url string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatalf("%s did not become healthy", url)
}

// BenchmarkReplayFromStore is `roadcheck replay` as policy staff run it: BENCH_STORED (3,000)
// submissions stored through the API in the embedded store, the service stopped, then the
// built-in rulebook's directory replayed over the store. It reports what the command reports,
// applications a second with the store's reading included, and checks every one was evaluated
// and none changed.
//
//	go test ./cmd/roadcheck -run '^$' -bench ReplayFromStore -benchtime 3x
func BenchmarkReplayFromStore(b *testing.B) {
	n := 3000
	if v := os.Getenv("BENCH_STORED"); v != "" {
		n = int(must(strconv.Atoi(v)))
	}
	data := b.TempDir()
	s, portal, doc := submissionServer(b, data)
	load(b, s.base+"/v1/applications", portal, doc, n, 8, http.StatusCreated)
	s.stop(b)

	var rate float64 // b.Loop leaves the set-up above out of the timing
	for b.Loop() {
		var out bytes.Buffer
		err := run(b.Context(), []string{"roadcheck", "replay", "--policies", "../../policies", "--data", data, "--json"}, noEnv, nil, &out, &out)
		var rep service.ReplayReport
		if err != nil || json.Unmarshal(out.Bytes(), &rep) != nil || rep.Evaluated != n || rep.Changed != 0 {
			b.Fatalf("replay: %v (%d evaluated of %d, %d changed)\n%.2000s", err, rep.Evaluated, n, rep.Changed, out.String())
		}
		rate += rep.PerSecond
	}
	b.ReportMetric(rate/float64(b.N), "applications/s")
}
