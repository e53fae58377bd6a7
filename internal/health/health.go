// Package health owns the daemon's HTTP face for operators: /healthz (the
// process is up), /readyz (every part the daemon needs works, as JSON with
// a reason per check) and /metrics (Prometheus), on one mux to which other
// handlers (the web view) can be mounted with Handle.
//
// What always holds: no label or reason carries personal data — metrics
// are labelled by outcome, category, unit, kind, channel and status only,
// and reasons are the daemon's own words. The figures come from the store
// at scrape time, so they survive restarts and agree with `synpunkt stats`.
//
// How it fails: a check that cannot be evaluated counts as not ready with
// its error as the reason; /readyz then answers 503. A store query that
// fails during a scrape is reported as an invalid metric, not a crash.
// Serve returns the listener's error, or nil after ctx is cancelled.
package health

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/mailbox"
	"github.com/exempelby/synpunkt/store"
)

// Sources are what the checks and metrics read. Nil funcs and maps are
// allowed: that part is then not checked.
type Sources struct {
	Store  *store.Store
	Intake func() (mailbox.State, bool) // false: intake not started
	Tokens map[string]*oauth.Source     // by what they log in to: imap, smtp
	Paused func() []string              // outbox channels paused by a channel fault
	// Channels are the configured channels (email, sms) Paused is asked about.
	Channels []string
	Now      func() time.Time // default time.Now
}

// Server is the mux with its checks and registry.
type Server struct {
	src     Sources
	mux     *http.ServeMux
	reg     *prometheus.Registry
	latency prometheus.Histogram
}

// New returns a Server reading src.
func New(src Sources) *Server {
	if src.Now == nil {
		src.Now = time.Now
	}
	s := &Server{src: src, mux: http.NewServeMux(), reg: prometheus.NewRegistry()}
	s.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "synpunkt_intake_latency_seconds", Help: "Time from a message's arrival at the IMAP server to its registration.",
		Buckets: []float64{0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600},
	})
	s.reg.MustRegister(s.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), &collector{s: s})
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	return s
}

// Handle mounts h at pattern beside the health endpoints.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP serves the mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// ObserveIntake records the time from arrival to registration of a message.
func (s *Server) ObserveIntake(d time.Duration) { s.latency.Observe(max(d, 0).Seconds()) }

// Check is one readiness check's verdict.
type Check struct {
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// Readiness is the /readyz body.
type Readiness struct {
	Ready  bool             `json:"ready"`
	Checks map[string]Check `json:"checks"`
}

// Ready evaluates every check.
func (s *Server) Ready(ctx context.Context) Readiness {
	r := Readiness{Ready: true, Checks: map[string]Check{}}
	add := func(name string, c Check) {
		r.Checks[name] = c
		r.Ready = r.Ready && c.OK
	}
	if s.src.Intake != nil {
		add("imap", s.imapCheck())
	}
	if s.src.Store != nil {
		add("store", storeCheck(ctx, s.src.Store))
	}
	if s.src.Paused != nil {
		paused := s.src.Paused()
		for _, ch := range s.src.Channels {
			if slices.Contains(paused, ch) {
				add("channel_"+ch, Check{Reason: ch + " is paused: the server or the configuration refuses every message"})
			} else {
				add("channel_"+ch, Check{OK: true, Reason: "not paused"})
			}
		}
	}
	for name, src := range s.src.Tokens {
		add("oauth2_"+name, tokenCheck(src.Status(), s.src.Now()))
	}
	return r
}

func (s *Server) imapCheck() Check {
	st, started := s.src.Intake()
	switch {
	case !started:
		return Check{Reason: "intake not started"}
	case st.Connected:
		return Check{OK: true, Reason: fmt.Sprintf("session up since %s; last waited for mail %s", st.Since.Format(time.RFC3339), st.LastWait.Format(time.RFC3339))}
	case st.LastErr == "":
		return Check{Reason: "connecting"}
	}
	return Check{Reason: "disconnected: " + st.LastErr}
}

func storeCheck(ctx context.Context, st *store.Store) Check {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := st.Writable(ctx); err != nil {
		return Check{Reason: "the database cannot be written: " + err.Error()}
	}
	return Check{OK: true, Reason: "writable"}
}

func tokenCheck(st oauth.Status, now time.Time) Check {
	switch {
	case st.Err != "":
		return Check{Reason: fmt.Sprintf("token refresh failing since %s: %s; current token expires %s",
			st.FailingSince.Format(time.RFC3339), st.Err, expiry(st.Expiry))}
	case !st.Fresh:
		return Check{Reason: "no valid token yet"}
	}
	return Check{OK: true, Reason: fmt.Sprintf("token valid for %s", st.Expiry.Sub(now).Round(time.Second))}
}

func expiry(t time.Time) string {
	if t.IsZero() {
		return "— none held"
	}
	return t.Format(time.RFC3339)
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ready := s.Ready(r.Context())
	w.Header().Set("Content-Type", "application/json")
	if !ready.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ready)
}

// Serve listens on addr and serves h until ctx is cancelled, then shuts
// down, giving requests in flight five seconds.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("http.listen %s: %w", addr, err)
	}
	return ServeListener(ctx, ln, h, log)
}

// ServeListener is Serve on a listener already open.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving health and metrics", "addr", ln.Addr().String())
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	defer stop()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http: %w", err)
	}
	return nil
}
