package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/service/mongostore"
)

// listeningPorts returns the TCP ports on which process pid has a listening socket, read from
// /proc: the socket inodes among its file descriptors, matched against /proc/net/tcp{,6}.
func listeningPorts(t *testing.T, pid int) []int {
	t.Helper()
	fdDir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, err := os.ReadDir(fdDir)
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, f := range []string{"tcp", "tcp6"} {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", pid, f))
		if err != nil {
			continue // no IPv6
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fields := strings.Fields(line)
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			if len(fields) < 10 || fields[3] != "0A" || !inodes[fields[9]] { // 0A = LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(fields[1], ":")
			port, err := strconv.ParseUint(hexPort, 16, 16)
			if err != nil {
				t.Fatal(err)
			}
			ports = append(ports, int(port))
		}
	}
	return ports
}

// TestServeListensOnHTTPOnly: the embedded store is reached over a Unix socket in the 0700
// data directory; the only TCP port the serve process listens on is its HTTP address.
func TestServeListensOnHTTPOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	p := startProcess(t, bin, data)
	_, portStr, _ := strings.Cut(strings.TrimPrefix(p.base, "http://"), ":")
	httpPort, _ := strconv.Atoi(portStr)
	ports := listeningPorts(t, p.cmd.Process.Pid)
	if len(ports) != 1 || ports[0] != httpPort {
		t.Errorf("serve listens on TCP ports %v, want only the HTTP port %d", ports, httpPort)
	}
	fi, err := os.Stat(filepath.Join(data, "db"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("store directory: %v %v, want mode 0700", fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Join(data, "db", mongostore.SocketName)); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Errorf("no store socket in the data directory: %v", err)
	}
}

// TestKillDuringSubmissions: several clients submit, the process is killed with SIGKILL
// mid-load, and after each of three rounds every acknowledged application is stored with its
// audit record; fsck --repair restores any decision projection the crash cut off, and a
// restart serves every one of them.
func TestKillDuringSubmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it under load")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	app := map[string]any{}
	_ = json.Unmarshal(fixture(t, "renewal_pass.json"), &app)
	app["qualification"].(map[string]any)["expires"] = time.Now().In(service.ChinaTime).AddDate(0, 0, 10).Format("2006-01-02")
	doc, _ := json.Marshal(app)

	var all []string // acknowledged over every round
	for round := 1; round <= 3; round++ {
		p := startProcess(t, bin, data)
		portal := strings.TrimSpace(string(must(os.ReadFile(filepath.Join(data, "dev-portal.token")))))
		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		stop := make(chan struct{})
		client := &http.Client{Timeout: 10 * time.Second}
		for c := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest("POST", p.base+"/v1/applications", bytes.NewReader(doc))
					req.Header.Set("Authorization", "Bearer "+portal)
					req.Header.Set("Content-Type", "application/json")
					if i%2 == 0 { // half the requests carry an Idempotency-Key
						req.Header.Set("Idempotency-Key", fmt.Sprintf("r%d-c%d-%d", round, c, i))
					}
					res, err := client.Do(req)
					if err != nil {
						return // the process is gone
					}
					var s submission
					_ = json.NewDecoder(res.Body).Decode(&s)
					res.Body.Close()
					if res.StatusCode == 201 {
						mu.Lock()
						acked = append(acked, s.ID)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Second)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.cmd.Wait()
		close(stop)
		wg.Wait()
		mu.Lock()
		all = append(all, acked...)
		mu.Unlock()
		if len(acked) == 0 {
			t.Fatalf("round %d: nothing acknowledged before the kill\n%s", round, p.out)
		}

		// Straight after the crash, before anything repairs: every acknowledged application
		// is stored with its embedded audit record.
		present, withAudit, withProjection := countStored(t, data, acked)
		var out bytes.Buffer
		err := run(context.Background(), []string{"roadcheck", "fsck", "--data", data, "--json", "--repair"}, noEnv, nil, &out, &out)
		if exitCode(err) != 0 {
			t.Fatalf("round %d: fsck --repair exit %d (%v)\n%s", round, exitCode(err), err, out.String())
		}
		var rep mongostore.CheckReport
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		// fsck exits 0 only when every stored application has its decision record, once
		// it has written the missing ones.
		t.Logf("round %d: %d acknowledged, %d present, %d present with embedded audit, %d with decision record after the crash; fsck --repair wrote %d decision records (%d applications stored in all)",
			round, len(acked), present, withAudit, withProjection, len(rep.Repaired.Decisions), rep.Applications)
		if present != len(acked) || withAudit != len(acked) {
			t.Errorf("round %d: of %d acknowledged, %d present and %d with their audit record", round, len(acked), present, withAudit)
		}
		if len(rep.ApplicationsWithoutDecision) != len(rep.Repaired.Decisions) || !rep.Consistent {
			t.Errorf("round %d: fsck: %+v", round, rep)
		}
	}
	_, _, decided := countStored(t, data, all)
	if decided != len(all) {
		t.Errorf("%d of %d acknowledged applications have their decision record after fsck --repair", decided, len(all))
	}
	// A restart serves them all.
	assertServed(t, startProcess(t, bin, data), data, all, "acknowledged")
}

// countStored opens the (stopped) embedded store and counts, of ids, the applications stored,
// those carrying their audit record, and those whose decision record is in decisions.
func countStored(t *testing.T, data string, ids []string) (present, withAudit, withDecision int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	emb, err := mongostore.StartEmbedded(filepath.Join(data, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = emb.Stop(ctx) }()
	s, err := emb.Open(ctx, "roadcheck")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close(ctx) }()
	decs, err := s.Decisions(ctx, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	decided := map[string]bool{}
	for _, d := range decs {
		decided[d.ApplicationID] = true
	}
	for _, id := range ids {
		sub, err := s.Submission(ctx, id)
		if err != nil {
			continue
		}
		present++
		if sub.Audit != nil && sub.Audit.ApplicationID == id {
			withAudit++
		}
		if decided[id] {
			withDecision++
		}
	}
	return present, withAudit, withDecision
}

func TestFsckCommandUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"-h"}, 0, "usage: roadcheck fsck"},
		{[]string{"--data", t.TempDir()}, 2, ""},                               // no store there
		{[]string{"--data", t.TempDir(), "--mongo-uri", "mongodb://x"}, 2, ""}, // both
		{[]string{"--data", t.TempDir(), "extra"}, 2, ""},                      // stray argument
		{[]string{"--frobnicate"}, 2, ""},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"roadcheck", "fsck"}, tt.args...), noEnv, nil, &out, &out)
		if exitCode(err) != tt.exit || !strings.Contains(out.String(), tt.want) {
			t.Errorf("fsck %v: exit %d (%v), want %d\n%s", tt.args, exitCode(err), err, tt.exit, out.String())
		}
	}
}
