package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/exempelby/synpunkt/store"
)

// Roles of a web user.
const (
	RoleKontaktcenter = "kontaktcenter" // all cases, originals, every action
	RoleEnhet         = "enhet"         // the cases of its units, originals, every action on them
	RoleRegistrator   = "registrator"   // every case's metadata, read only (retention and export belong here)
	RoleAdmin         = "admin"         // users
)

// Roles lists the roles, for validation.
var Roles = []string{RoleKontaktcenter, RoleEnhet, RoleRegistrator, RoleAdmin}

// ErrWeakPassword is returned for a password shorter than MinPassword.
var ErrWeakPassword = errors.New("the password must be at least 12 characters")

// MinPassword is the shortest password accepted.
const MinPassword = 12

// HashPassword hashes a password with bcrypt (cost 12).
func HashPassword(pw string) (string, error) {
	if len([]rune(pw)) < MinPassword {
		return "", ErrWeakPassword
	}
	if len(pw) > 72 {
		return "", errors.New("the password must be at most 72 bytes (bcrypt)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), 12)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when the user does not exist, so a
// login takes as long whether the name is known or not: the bcrypt hash
// (cost 12, as HashPassword) of "no such user, no such password", written
// out rather than made at start-up, where it cost every process of the
// binary (the daemon and each clerk command) about 250 ms of CPU.
var dummyHash = []byte("$2a$12$20y6m/JXDlkYWaWi8.z8MOYZNvHDL4J9fpkQDq96m4s6uhsWH0yGW")

const sessionCookie = "synpunkt_session"

type ctxKey struct{}

type session struct {
	store.Session
	token string
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: !s.opt.InsecureCookies, SameSite: http.SameSiteStrictMode}
}

// authed wraps a handler that needs a live session and, for POST, the
// session's CSRF token.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		ss, err := s.st.SessionByToken(r.Context(), c.Value, s.opt.Now())
		if errors.Is(err, store.ErrNotFound) {
			http.SetCookie(w, s.cookie("", -1))
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sess := &session{Session: ss, token: c.Value}
		if r.Method == http.MethodPost && subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(ss.CSRF)) != 1 {
			s.audit(r.Context(), store.Access{Actor: ss.User.Name, Action: "csrf", Outcome: "denied", Detail: r.URL.Path})
			http.Error(w, "Formuläret har gått ut. Ladda om sidan och försök igen.", http.StatusForbidden)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, sess)), sess)
	}
}

func (s *Server) basePage(sess *session, title, nav string) page {
	return page{Title: title, User: &sess.User, CSRF: sess.CSRF, Nav: nav}
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", page{Title: "Logga in"})
}

// loginFailed is the one answer to every failed login: it never says
// whether the name exists, is disabled or is locked.
const loginFailed = "Fel användarnamn eller lösenord, eller så är kontot spärrat en stund. Försök igen."

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name, pw := strings.TrimSpace(r.PostFormValue("anvandare")), r.PostFormValue("losenord")
	u, err := s.st.UserByName(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	now := s.opt.Now()
	ok := false
	switch {
	case err != nil || u.PasswordHash == "":
		bcrypt.CompareHashAndPassword(dummyHash, []byte(pw)) //nolint:errcheck // timing only
	default:
		ok = bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pw)) == nil
	}
	if ok && (u.Disabled || now.Before(u.LockedUntil)) {
		ok = false
	}
	if !ok {
		if u.ID != 0 {
			if err := s.st.LoginFailed(ctx, u.ID, s.opt.MaxFailures, now.Add(s.opt.Lockout)); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		s.audit(ctx, store.Access{Actor: name, Action: "login", Outcome: "failed"})
		s.log.Info("login failed")
		s.render(w, r, http.StatusUnauthorized, "login", page{Title: "Logga in", Error: loginFailed})
		return
	}
	if err := s.st.LoginSucceeded(ctx, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	token := randomToken()
	if err := s.st.CreateSession(ctx, token, u.ID, randomToken(), now.Add(s.opt.SessionTTL)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(ctx, store.Access{Actor: u.Name, Action: "login"})
	http.SetCookie(w, s.cookie(token, int(s.opt.SessionTTL.Seconds())))
	if u.Role == RoleAdmin {
		http.Redirect(w, r, "/anvandare", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/arenden", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.st.DeleteSession(r.Context(), sess.token); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(r.Context(), store.Access{Actor: sess.User.Name, Action: "logout"})
	http.SetCookie(w, s.cookie("", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// seesCases: may the user list and open cases at all.
func seesCases(u *store.User) bool { return u.Role != RoleAdmin }

// mayOpen: may the user open a case of this unit.
func mayOpen(u *store.User, unit string) bool {
	switch u.Role {
	case RoleKontaktcenter, RoleRegistrator:
		return true
	case RoleEnhet:
		return slices.Contains(u.Units, unit)
	}
	return false
}

// readsOriginals: may the user read originals (of cases it may open).
func readsOriginals(u *store.User) bool { return u.Role == RoleKontaktcenter || u.Role == RoleEnhet }

// acts: may the user act on cases (close, route, note, register ...).
func acts(u *store.User) bool { return u.Role == RoleKontaktcenter || u.Role == RoleEnhet }

// preserves reports whether u may mark a case to be preserved (bevaras):
// the contact center and the registrator/archivist.
func preserves(u *store.User) bool { return u.Role == RoleKontaktcenter || u.Role == RoleRegistrator }

// deny answers 403 and writes the refusal to the access log.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, sess *session, action string, caseID int64) {
	s.audit(r.Context(), store.Access{Actor: sess.User.Name, Action: action, CaseID: caseID, Outcome: "denied", Detail: r.URL.Path})
	s.log.Warn("access denied", "user", sess.User.Name, "action", action, "path", r.URL.Path)
	p := s.basePage(sess, "Åtkomst nekad", "")
	s.render(w, r, http.StatusForbidden, "denied", p)
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, sess *session) {
	if sess.User.Role != RoleAdmin {
		s.deny(w, r, sess, "users", 0)
		return
	}
	users, err := s.st.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.basePage(sess, "Användare", "anvandare")
	p.Data = users
	s.render(w, r, http.StatusOK, "users", p)
}
