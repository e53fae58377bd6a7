package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are what a Server is built from.
type Options struct {
	Store    *store.Store
	Casework *casework.Service
	Intake   *casework.Intake
	// Units are the unit names a case can be routed to.
	Units []string
	// Kick wakes the outbox after an action queued notifications (resend);
	// may be nil.
	Kick func()
	Now  func() time.Time // nil: time.Now
	Log  *slog.Logger
	// SessionTTL is how long a login lasts; 0: 8 hours.
	SessionTTL time.Duration
	// MaxFailures failed logins in a row lock an account for Lockout;
	// 0: 5 and 15 minutes.
	MaxFailures int
	Lockout     time.Duration
	// InsecureCookies drops the Secure attribute, for plain http on a
	// trusted loopback only. Off by default.
	InsecureCookies bool
	// DiaryName is the organisation's name on the public diary.
	DiaryName string
}

// Server is the web view; it is an http.Handler.
type Server struct {
	opt  Options
	st   *store.Store
	mux  *http.ServeMux
	tmpl map[string]*template.Template
	log  *slog.Logger
}

var _ http.Handler = (*Server)(nil)

// New builds the Server and parses its templates.
func New(opt Options) (*Server, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 8 * time.Hour
	}
	if opt.MaxFailures == 0 {
		opt.MaxFailures = 5
	}
	if opt.Lockout == 0 {
		opt.Lockout = 15 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{opt: opt, st: opt.Store, mux: http.NewServeMux(), log: opt.Log.With("component", "web")}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) parseTemplates() error {
	s.tmpl = map[string]*template.Template{}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", p)
		if err != nil {
			return err
		}
		s.tmpl[name] = t
	}
	return nil
}

var stockholm = func() *time.Location {
	l, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return l
}()

var funcs = template.FuncMap{
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(stockholm).Format("2006-01-02")
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.In(stockholm).Format("2006-01-02 15:04")
	},
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/arenden", http.StatusSeeOther) })
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.authed(s.logout))
	s.mux.HandleFunc("GET /arenden", s.authed(s.caseList))
	s.mux.HandleFunc("GET /arenden/{number}", s.authed(s.casePage))
	s.mux.HandleFunc("POST /arenden/{number}/original/{doc}", s.authed(s.original))
	s.mux.HandleFunc("POST /arenden/{number}/{action}", s.authed(s.caseAction))
	s.mux.HandleFunc("GET /registrera", s.authed(s.registerPage))
	s.mux.HandleFunc("POST /registrera", s.authed(s.register))
	s.mux.HandleFunc("GET /anvandare", s.authed(s.usersPage))
	s.mux.HandleFunc("GET /diarium", s.diary)
	s.mux.HandleFunc("GET /diarium.json", s.diaryJSON)
}

// ServeHTTP serves the web view with security headers on every answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

// page is what every template gets.
type page struct {
	Title  string
	User   *store.User
	CSRF   string
	Flash  string
	Error  string
	Public bool
	Data   any
	Nav    string
	Diary  string
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.tmpl[name]
	if !ok {
		s.fail(w, r, errors.New("no template "+name))
		return
	}
	p.Diary = s.opt.DiaryName
	var b strings.Builder
	if err := t.Execute(&b, p); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if !p.Public {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	w.Write([]byte(b.String())) //nolint:errcheck // the client went away
}

// fail answers 500 in Swedish and logs err; the error text never reaches
// the browser.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("web request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "Något gick fel. Försök igen eller kontakta systemförvaltaren.", http.StatusInternalServerError)
}

func (s *Server) audit(ctx context.Context, a store.Access) {
	if err := s.st.LogAccess(ctx, a); err != nil {
		s.log.Error("access log write failed", "action", a.Action, "err", err)
	}
}
