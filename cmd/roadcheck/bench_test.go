package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
)

// BenchmarkSubmit32 measures POST /v1/applications on the embedded store with 32 concurrent
// clients over loopback: submissions per second and latency percentiles.
//
//	go test ./cmd/roadcheck -run '^$' -bench Submit32 -benchtime 2000x
func BenchmarkSubmit32(b *testing.B) {
	data := b.TempDir()
	s := startServerB(b, data)
	portal := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-portal.token")))))
	app := map[string]any{}
	_ = json.Unmarshal(fixtureB(b, "renewal_pass.json"), &app)
	app["qualification"].(map[string]any)["expires"] = time.Now().In(service.ChinaTime).AddDate(0, 0, 10).Format("2006-01-02")
	doc, _ := json.Marshal(app)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	workers := 32
	if w := os.Getenv("BENCH_WORKERS"); w != "" {
		workers = int(must(strconv.Atoi(w)))
	}
	jobs := make(chan struct{}, b.N)
	for range b.N {
		jobs <- struct{}{}
	}
	close(jobs)
	lat := make([]time.Duration, 0, b.N)
	var mu sync.Mutex
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				req, _ := http.NewRequest("POST", s.base+"/v1/applications", bytes.NewReader(doc))
				req.Header.Set("Authorization", "Bearer "+portal)
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				d := time.Since(t0)
				if res.StatusCode != 201 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "submissions/s")
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
	}
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
