package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/roadcheck/roadcheck/certs/keystore"
	"github.com/roadcheck/roadcheck/certs/render"
	"github.com/roadcheck/roadcheck/policies"
	"github.com/roadcheck/roadcheck/service"
	"github.com/roadcheck/roadcheck/service/imagefacts"
	"github.com/roadcheck/roadcheck/transport"
)

// serveConfig is every flag of serve.
type serveConfig struct {
	addr, metricsAddr, policiesDir, keys, tokens, logFormat, memoryLimit string
	watch                                                                bool
	maxBody, maxUpload, maxPixels                                        int64
	store                                                                storeConfig
	limits                                                               transport.Limits
	ocr                                                                  ocrConfig
	eval                                                                 *policies.Evaluator
}

func serveFlags(p proc) (*flagSet, *serveConfig) {
	c := &serveConfig{}
	f := newFlags("serve", p)
	f.StringVar(&c.addr, "addr", ":8080", "listen address")
	storeFlags(f, &c.store, "data directory: embedded store, development tokens, keys")
	f.StringVar(&c.policiesDir, "policies", "", "policy directory; empty uses the built-in rulebook")
	f.BoolVar(&c.watch, "watch", false, "reload --policies DIR when its files change")
	f.StringVar(&c.keys, "keys", "", "certificate signing key directory; empty uses --data/keys, created on first start")
	f.StringVar(&c.tokens, "tokens", "", "token file; empty creates development tokens under --data")
	f.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	f.StringVar(&c.metricsAddr, "metrics-addr", "", "serve /metrics on this address instead of --addr")
	f.withEnv("addr", "policies", "watch", "keys", "tokens", "log-format", "metrics-addr")
	f.Int64Var(&c.maxBody, "max-body", transport.DefaultMaxBodyBytes, "largest accepted JSON request body in bytes")
	f.Int64Var(&c.maxUpload, "max-upload", transport.DefaultMaxUploadBytes, "largest accepted material upload in bytes")
	f.Int64Var(&c.maxPixels, "max-pixels", imagefacts.DefaultMaxPixels, "largest image (width × height) a material may declare")
	f.StringVar(&c.memoryLimit, "memory-limit", "", "soft memory limit of the Go runtime (bytes, or with KiB/MiB/GiB), or off; default: GOMEMLIMIT if set, else min(1 GiB, 3/4 of the memory available)")
	f.withEnv("max-body", "max-upload", "max-pixels")
	c.eval = evalFlag(f)
	limitFlags(f, &c.limits)
	ocrFlags(f, &c.ocr)
	return f, c
}

func (c *serveConfig) check() error {
	switch {
	case c.watch && c.policiesDir == "":
		return usageErr("serve: --watch needs --policies DIR")
	case c.maxBody <= 0 || c.maxUpload <= 0 || c.maxPixels <= 0:
		return usageErr("serve: --max-body, --max-upload and --max-pixels must be more than zero")
	}
	if err := checkLimits(c.limits); err != nil {
		return err
	}
	return c.ocr.check()
}

// serve runs the service until ctx ends. Start order: rulebook, store, service, HTTP; shutdown
// runs in reverse (HTTP drains, the document reader stops, the driver closes, the embedded
// store stops), so nothing acknowledged to a client is lost.
func serve(ctx context.Context, p proc, args []string) error {
	f, c := serveFlags(p)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := f.noArgs(); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	log, err := newLogger(c.logFormat, p.stderr, slog.LevelInfo)
	if err != nil {
		return exitErr(2, err)
	}
	if err := tuneRuntime(c.memoryLimit, p.getenv, log); err != nil {
		return err
	}
	rules, err := loadRules(ctx, c.policiesDir, true, *c.eval)
	if err != nil {
		return err
	}
	log.Info("policies loaded", slog.String("revision", rules.Book.Revision()), slog.String("source", policySource(c.policiesDir)), slog.String("eval", string(*c.eval)))

	// FerretDB logs every connection at INFO and the driver's endSessions (a command it lacks)
	// at WARN; errors are what an operator needs from it.
	engineLog, _ := newLogger(c.logFormat, p.stderr, slog.LevelError)
	store, closeStore, err := openStore(ctx, "serve", c.store, storeOptions{create: true, log: log,
		engineLog: engineLog.With(slog.String("component", "ferretdb"))})
	if err != nil {
		return err
	}
	defer closeStore()

	tokens, tokenNote, err := loadOrCreateTokens(c.tokens, c.store.data)
	if err != nil {
		return err
	}
	svc, closeSvc, err := newService(ctx, c, rules, store, log)
	if err != nil {
		return err
	}
	defer closeSvc()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metricsApart := c.metricsAddr != "" && c.metricsAddr != c.addr
	handler := transport.NewHandler(svc, transport.Config{Tokens: tokens, Logger: log, Registry: reg, MaxBodyBytes: c.maxBody,
		MaxUpload: c.maxUpload, Limits: c.limits, MetricsElsewhere: metricsApart})
	logLimits(log, c.limits)
	return listenAndServe(ctx, httpConfig{addr: c.addr, metricsAddr: c.metricsAddr, metrics: metricsApart, registry: reg,
		note: tokenNote}, handler, log, p.stdout)
}

// serveGCPercent is serve's GC target when GOGC is unset.
const serveGCPercent = 400

// tuneRuntime sets the garbage collector for a long-running service: the live heap is about
// 10 MB, so Go's default (collect at twice that) runs a GC every few milliseconds under load and
// costs a quarter of the throughput; 400 keeps the heap near 50 MB. GOGC and GOMEMLIMIT still
// override it, and the soft memory limit keeps a burst of uploads inside the container.
func tuneRuntime(memoryLimitFlag string, getenv func(string) string, log *slog.Logger) error {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	limit, source, err := memoryLimit(memoryLimitFlag, getenv("GOMEMLIMIT"), os.ReadFile)
	if err != nil {
		return exitErr(2, err)
	}
	if limit > 0 {
		debug.SetMemoryLimit(limit)
		log.Info("memory limit", slog.Int64("bytes", limit), slog.String("source", source))
	}
	return nil
}

// newService builds the service over the store: image analysis, signing keys, the document
// reader, the renderer and, with --policies, the reload source (and its watcher). close stops
// what it started.
func newService(ctx context.Context, c *serveConfig, rules *service.Rules, store service.Store, log *slog.Logger) (service.Service, func(), error) {
	keyDir := keysDir(c.keys, c.store.data)
	ks, err := keystore.Open(keyDir)
	if err != nil {
		return nil, nil, fmt.Errorf("serve: signing keys: %w", err)
	}
	if k, err := ks.Active(); err == nil {
		log.Info("signing key", slog.String("kid", k.KID), slog.String("dir", keyDir))
	}
	reader, closeReader, err := openReader(c.ocr, log)
	if err != nil {
		return nil, nil, err
	}
	cfg := service.Config{
		Rules: rules, Store: store, CA: ks, Renderer: render.New(), Reader: reader,
		Analyzer: imagefacts.NewAnalyzer(imagefacts.Limits{MaxBytes: c.maxUpload, MaxPixels: c.maxPixels}),
	}
	if c.policiesDir != "" {
		cfg.PolicySourceName, cfg.PolicySource = c.policiesDir, policyDirSource(c.policiesDir, *c.eval)
	}
	svc, err := service.New(cfg)
	if err != nil {
		closeReader()
		return nil, nil, err
	}
	if !c.watch {
		return svc, closeReader, nil
	}
	stopWatch, err := watchPolicies(ctx, c.policiesDir, svc, log)
	if err != nil {
		closeReader()
		return nil, nil, err
	}
	return svc, func() { stopWatch(); closeReader() }, nil
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
