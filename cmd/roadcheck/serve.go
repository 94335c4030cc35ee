package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/certs/render"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/service/imagefacts"
	"github.com/roadcheck/roadcheck/service/mongostore"
	"github.com/roadcheck/roadcheck/transport"
)

type serveConfig struct {
	addr, data, mongoURI, database, policiesDir, tokens, logFormat, keys string
	watch                                                                bool
	maxBody, maxUpload, maxPixels                                        int64
	metricsAddr, memoryLimit                                             string
	limits                                                               transport.Limits
	ocr                                                                  ocrConfig
}

// serveGCPercent is the GC target of `serve` when GOGC is unset (see serve).
const serveGCPercent = 400

func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var c serveConfig
	fs := newFlagSet("serve", stdout)
	fs.StringVar(&c.addr, "addr", envDefault(getenv, "ROADCHECK_ADDR", ":8080"), "listen address (env ROADCHECK_ADDR)")
	fs.StringVar(&c.data, "data", envDefault(getenv, "ROADCHECK_DATA", "./data"), "data directory: embedded store, development tokens, keys (env ROADCHECK_DATA)")
	fs.StringVar(&c.mongoURI, "mongo-uri", getenv("ROADCHECK_MONGO_URI"), "MongoDB connection string; empty runs the embedded store (env ROADCHECK_MONGO_URI)")
	fs.StringVar(&c.database, "database", envDefault(getenv, "ROADCHECK_DATABASE", "roadcheck"), "database name (env ROADCHECK_DATABASE)")
	fs.StringVar(&c.policiesDir, "policies", getenv("ROADCHECK_POLICIES"), "policy directory; empty uses the built-in rulebook (env ROADCHECK_POLICIES)")
	fs.BoolVar(&c.watch, "watch", getenv("ROADCHECK_WATCH") == "true", "reload --policies DIR when its files change (env ROADCHECK_WATCH=true)")
	fs.StringVar(&c.keys, "keys", getenv("ROADCHECK_KEYS"), "certificate signing key directory; empty uses --data/keys, created on first start (env ROADCHECK_KEYS)")
	fs.StringVar(&c.tokens, "tokens", getenv("ROADCHECK_TOKENS"), "token file; empty creates development tokens under --data (env ROADCHECK_TOKENS)")
	fs.StringVar(&c.logFormat, "log-format", envDefault(getenv, "ROADCHECK_LOG_FORMAT", "text"), "log format: text or json (env ROADCHECK_LOG_FORMAT)")
	fs.Int64Var(&c.maxBody, "max-body", transport.DefaultMaxBodyBytes, "largest accepted JSON request body in bytes")
	fs.Int64Var(&c.maxUpload, "max-upload", transport.DefaultMaxUploadBytes, "largest accepted material upload in bytes")
	fs.Int64Var(&c.maxPixels, "max-pixels", imagefacts.DefaultMaxPixels, "largest image (width × height) a material may declare")
	fs.StringVar(&c.metricsAddr, "metrics-addr", getenv("ROADCHECK_METRICS_ADDR"), "serve /metrics on this address instead of --addr (env ROADCHECK_METRICS_ADDR)")
	fs.StringVar(&c.memoryLimit, "memory-limit", "", "soft memory limit of the Go runtime (bytes, or with KiB/MiB/GiB), or off; default: GOMEMLIMIT if set, else min(1 GiB, 3/4 of the memory available)")
	if err := limitFlags(fs, getenv, &c.limits); err != nil {
		return err
	}
	if err := ocrFlags(fs, getenv, &c.ocr); err != nil {
		return err
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return exitErr(2, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0)))
	}
	if c.watch && c.policiesDir == "" {
		return exitErr(2, errors.New("serve: --watch needs --policies DIR"))
	}
	log, err := newLogger(c.logFormat, stdout, slog.LevelInfo)
	if err != nil {
		return exitErr(2, err)
	}
	if getenv("GOGC") == "" {
		// The live heap is about 10 MB, so Go's default (collect at twice that) runs a GC every
		// few milliseconds under load and costs a quarter of the throughput; 400 keeps the heap
		// near 50 MB. GOGC and GOMEMLIMIT still override it.
		debug.SetGCPercent(serveGCPercent)
	}
	if limit, source, err := memoryLimit(c.memoryLimit, getenv("GOMEMLIMIT"), os.ReadFile); err != nil {
		return exitErr(2, err)
	} else if limit > 0 {
		debug.SetMemoryLimit(limit)
		log.Info("memory limit", slog.Int64("bytes", limit), slog.String("source", source))
	}

	book, err := loadPolicies(ctx, c.policiesDir)
	if err != nil {
		return err
	}
	rules, err := service.NewRules(book)
	if err != nil {
		return err
	}
	log.Info("policies loaded", slog.String("revision", book.Revision()), slog.String("source", policySource(c.policiesDir)))

	// Start order: store, then HTTP. Shutdown runs in reverse: HTTP (drain requests), driver,
	// embedded store, so nothing acknowledged to a client is lost.
	var (
		embedded *mongostore.Embedded
		store    *mongostore.Store
	)
	if c.mongoURI == "" {
		dir := filepath.Join(c.data, "db")
		// FerretDB logs every connection at INFO and the driver's endSessions (a command it
		// lacks) at WARN; errors are what an operator needs from it.
		ferretLog, _ := newLogger(c.logFormat, stdout, slog.LevelError)
		ferretLog = ferretLog.With(slog.String("component", "ferretdb"))
		embedded, err = mongostore.StartEmbedded(dir, ferretLog)
		if err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := embedded.Stop(stopCtx); err != nil {
				log.Error("embedded store stop", slog.Any("error", err))
			}
			log.Info("embedded store stopped")
		}()
		log.Info("embedded store started", slog.String("dir", dir))
		store, err = embedded.Open(ctx, c.database)
	} else {
		store, err = mongostore.Open(ctx, c.mongoURI, c.database)
	}
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := store.Close(closeCtx); err != nil {
			log.Error("store close", slog.Any("error", err))
		}
		log.Info("store driver closed")
	}()

	tokens, tokenNote, err := loadOrCreateTokens(c.tokens, c.data)
	if err != nil {
		return err
	}

	analyzer := imagefacts.NewAnalyzer(imagefacts.Limits{MaxBytes: c.maxUpload, MaxPixels: c.maxPixels})
	ks, err := keystore.Open(keysDir(c.keys, c.data))
	if err != nil {
		return fmt.Errorf("serve: signing keys: %w", err)
	}
	if k, err := ks.Active(); err == nil {
		log.Info("signing key", slog.String("kid", k.KID), slog.String("dir", keysDir(c.keys, c.data)))
	}
	reader, closeReader, err := openReader(c.ocr, log)
	if err != nil {
		return err
	}
	// Closed after HTTP has drained (defers run in reverse), so no reading is cut short.
	defer closeReader()
	cfg := service.Config{Rules: rules, Store: store, Analyzer: analyzer, CA: ks, Renderer: render.New(), Reader: reader}
	if c.policiesDir != "" {
		dir := c.policiesDir
		cfg.PolicySourceName = dir
		cfg.PolicySource = func(ctx context.Context) (service.Rulebook, error) {
			return policies.LoadTested(ctx, os.DirFS(dir), policyTestTimeout)
		}
	}
	svc, err := service.New(cfg)
	if err != nil {
		return err
	}
	if c.watch {
		stop, err := watchPolicies(ctx, c.policiesDir, svc, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metricsApart := c.metricsAddr != "" && c.metricsAddr != c.addr
	handler := transport.NewHandler(svc, transport.Config{Tokens: tokens, Logger: log, Registry: reg, MaxBodyBytes: c.maxBody,
		MaxUpload: c.maxUpload, Limits: c.limits, MetricsElsewhere: metricsApart})
	log.Info("network limits", slog.String("rate_photo", c.limits.Photo.String()), slog.String("rate_payload", c.limits.Payload.String()),
		slog.String("rate_web", c.limits.Web.String()), slog.Duration("body_timeout", c.limits.BodyReadTimeout),
		slog.Duration("slot_wait", c.limits.SlotWait))

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: listen %s: %w", c.addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "roadcheck listening on http://%s (inspector page: /verify)\n", displayAddr(ln.Addr()))
	if tokenNote != "" {
		fmt.Fprintln(stdout, tokenNote)
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	var metricsSrv *http.Server
	if metricsApart {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("serve: listen %s (metrics): %w", c.metricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, ErrorLog: srv.ErrorLog}
		go func() {
			if err := metricsSrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("metrics server", slog.Any("error", err))
			}
		}()
		fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", displayAddr(mln.Addr()))
	}
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining HTTP requests")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutCtx)
	}
	if err := srv.Shutdown(shutCtx); err != nil {
		log.Error("http shutdown", slog.Any("error", err))
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("http server", slog.Any("error", err))
	}
	log.Info("http server stopped")
	return nil
}

func newLogger(format string, w io.Writer, level slog.Level) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
	}
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func policySource(dir string) string {
	if dir == "" {
		return "built-in"
	}
	return dir
}

// policyTestTimeout bounds a candidate rulebook's test run on reload.
const policyTestTimeout = 2 * time.Minute

// loadPolicies compiles the built-in rulebook, or the one in dir. A directory's own tests must
// pass too: it may have been edited since CI last saw it.
func loadPolicies(ctx context.Context, dir string) (*policies.Engine, error) {
	if dir == "" {
		return policies.Load(ctx, policies.Builtin())
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, exitErr(2, fmt.Errorf("--policies %s is not a directory", dir))
	}
	return policies.LoadTested(ctx, os.DirFS(dir), policyTestTimeout)
}

// Development tokens: without --tokens, serve creates one token per role under the data
// directory (0600) and keeps only their hashes in tokens.json, as a production token file would.
const devTokenFile = "tokens.json"

func loadOrCreateTokens(path, dataDir string) (*transport.Tokens, string, error) {
	if path != "" {
		t, err := transport.LoadTokens(path)
		if err != nil {
			return nil, "", exitErr(2, err)
		}
		return t, "", nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, "", err
	}
	file := filepath.Join(dataDir, devTokenFile)
	adminPath := filepath.Join(dataDir, "dev-admin.token")
	note := fmt.Sprintf("development tokens (no --tokens given): admin token in %s; portal and reviewer tokens beside it", adminPath)
	if _, err := os.Stat(file); err == nil {
		t, err := transport.LoadTokens(file)
		return t, note, err
	}
	var tf transport.TokenFile
	for _, role := range []service.Role{service.RoleAdmin, service.RolePortal, service.RoleReviewer} {
		token, entry, err := transport.NewToken("dev-"+string(role), role)
		if err != nil {
			return nil, "", err
		}
		if err := os.WriteFile(filepath.Join(dataDir, "dev-"+string(role)+".token"), []byte(token+"\n"), 0o600); err != nil {
			return nil, "", err
		}
		tf.Tokens = append(tf.Tokens, entry)
	}
	b, err := json.MarshalIndent(tf, "", "  ")
	if err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(file, append(b, '\n'), 0o600); err != nil {
		return nil, "", err
	}
	t, err := transport.ParseTokens(b)
	return t, note, err
}
