package mongostore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func stopEmbedded(t *testing.T, e *Embedded) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.Stop(ctx); err != nil {
		t.Error(err)
	}
}

// The embedded store is private: a Unix socket in a 0700 directory, no TCP port.
func TestEmbeddedUnixSocket(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded store")
	}
	cases := map[string]string{
		// a short directory holds its own socket
		"short": func() string {
			d, err := os.MkdirTemp("/tmp", "rc")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(d) })
			return filepath.Join(d, "db")
		}(),
		// a path too long for a socket puts it in a short private directory
		"long": filepath.Join(t.TempDir(), strings.Repeat("d", 100), "db"),
	}
	for name, dir := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.MkdirAll(dir, 0o755); err != nil { // a loose existing directory is tightened
				t.Fatal(err)
			}
			e, err := StartEmbedded(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o700 {
				t.Errorf("data directory mode %v, want 0700", fi.Mode().Perm())
			}
			sock := e.Socket()
			if len(sock) > maxSocketPath {
				t.Errorf("socket path %d bytes", len(sock))
			}
			if name == "short" && filepath.Dir(sock) != dir {
				t.Errorf("socket %s not in %s", sock, dir)
			}
			sfi, err := os.Stat(filepath.Dir(sock))
			if err != nil || sfi.Mode().Perm() != 0o700 {
				t.Errorf("socket directory %v %v, want mode 0700", sfi.Mode(), err)
			}
			uri := e.URI()
			if !strings.HasPrefix(uri, "mongodb://%2F") || strings.Contains(uri, "127.0.0.1") {
				t.Errorf("URI %s", uri)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := e.Open(ctx, "roadcheck")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(ctx); err != nil {
				t.Fatal(err)
			}
			stopEmbedded(t, e)
			if _, err := os.Stat(sock); !os.IsNotExist(err) {
				t.Errorf("socket left after Stop: %v", err)
			}
			// A restart finds the directory again (a stale socket would be removed).
			e, err = StartEmbedded(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			stopEmbedded(t, e)
		})
	}
}
