package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpConfig is where serve listens: the API, and /metrics apart when metrics is set.
type httpConfig struct {
	addr, metricsAddr string
	metrics           bool
	registry          *prometheus.Registry
	note              string // printed after the address (the development tokens' location)
}

// listenAndServe serves handler until ctx ends, then drains requests for up to 20 s.
func listenAndServe(ctx context.Context, c httpConfig, handler http.Handler, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: listen %s: %w", c.addr, err)
	}
	errLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          errLog,
	}
	servers := []*http.Server{srv}
	fmt.Fprintf(stdout, "roadcheck listening on http://%s (start page: /, inspector page: /verify)\n", displayAddr(ln.Addr()))
	if c.note != "" {
		fmt.Fprintln(stdout, c.note)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if c.metrics {
		mln, err := net.Listen("tcp", c.metricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("serve: listen %s (metrics): %w", c.metricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(c.registry, promhttp.HandlerOpts{}))
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, ErrorLog: errLog}
		servers = append(servers, msrv)
		go func() {
			if err := msrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
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
	for i := len(servers) - 1; i >= 0; i-- {
		if err := servers[i].Shutdown(shutCtx); err != nil {
			log.Error("http shutdown", slog.Any("error", err))
		}
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("http server", slog.Any("error", err))
	}
	log.Info("http server stopped")
	return nil
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}
