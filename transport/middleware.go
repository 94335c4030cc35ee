package transport

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/roadcheck/roadcheck/service"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "roadcheck_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "roadcheck_http_request_duration_seconds",
			Help:    "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// requestInfo carries what inner handlers learn (the authenticated caller) back out to the
// access log.
type requestInfo struct {
	caller     string
	clientGone bool // the client went away before the answer (logged at info, counted as 499)
}

type requestInfoKey struct{}

func noteCaller(r *http.Request, name string) {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		info.caller = name
	}
}

func noteClientGone(ctx context.Context) {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		info.clientGone = true
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// instrument logs and measures every request of one route (labelled by its pattern, so the
// label set stays bounded whatever the paths).
func instrument(m *metrics, log *slog.Logger, route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		info := &requestInfo{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		elapsed := time.Since(start)
		status := rec.status
		if info.clientGone {
			status = 499 // nginx's "client closed request": not a server error
		}
		m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
		attrs := []any{
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
			slog.Int("status", status), slog.Int("bytes", rec.bytes),
			slog.Duration("duration", elapsed), slog.String("remote", r.RemoteAddr),
		}
		if info.caller != "" {
			attrs = append(attrs, slog.String("caller", info.caller))
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, "http request", attrs...)
	})
}

// recoverPanics turns a panic in a handler into a 500 with the standard error body.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic in handler", slog.Any("panic", v), slog.String("path", r.URL.Path))
				writeError(w, service.AsError(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
