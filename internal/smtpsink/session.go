package smtpsink

import (
	"io"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one SMTP connection.
type session struct {
	sink   *Sink
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (s *Sink) newSession(*smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.open++
	s.mu.Unlock()
	return &session{sink: s, authed: s.cfg.user == ""}, nil
}

// AuthMechanisms lists the configured mechanisms; none means no AUTH
// extension is advertised.
func (ss *session) AuthMechanisms() []string { return ss.sink.cfg.mechs }

// Auth returns a SASL server for mech.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	if !slices.Contains(ss.sink.cfg.mechs, mech) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	check := func(user, pass string) error {
		if user != ss.sink.cfg.user || pass != ss.sink.cfg.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}
	switch mech {
	case "LOGIN":
		return &loginServer{check: check}, nil
	case "XOAUTH2":
		return &xoauth2Server{check: ss.bearerCheck}, nil
	case "OAUTHBEARER":
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if ss.bearerCheck(o.Username, o.Token) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.sink.rcptError(to); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if d := ss.sink.getDelay(); d > 0 {
		time.Sleep(d)
	}
	return ss.sink.deliver(Received{From: ss.from, To: ss.to, Data: b, At: time.Now()})
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error {
	ss.sink.mu.Lock()
	ss.sink.open--
	ss.sink.mu.Unlock()
	return nil
}

// loginServer is the server side of the obsolete but common LOGIN mechanism
// (draft-murchison-sasl-login): prompt for the username, then the password.
type loginServer struct {
	check func(user, pass string) error
	user  *string
}

func (l *loginServer) Next(resp []byte) (challenge []byte, done bool, err error) {
	switch {
	case resp == nil && l.user == nil:
		return []byte("Username:"), false, nil
	case l.user == nil:
		u := string(resp)
		l.user = &u
		return []byte("Password:"), false, nil
	default:
		if err := l.check(*l.user, string(resp)); err != nil {
			return nil, true, err
		}
		return nil, true, nil
	}
}

// bearerCheck accepts an OAuth2 token that the WithOAuth2 check approves.
func (ss *session) bearerCheck(user, token string) error {
	if ss.sink.cfg.bearer == nil || !ss.sink.cfg.bearer(user, token) {
		return smtp.ErrAuthFailed
	}
	ss.authed = true
	return nil
}

// xoauth2Server is the server side of XOAUTH2: the initial response is
// "user=U\x01auth=Bearer T\x01\x01".
type xoauth2Server struct {
	check func(user, token string) error
}

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	var user, token string
	for _, f := range strings.Split(string(response), "\x01") {
		if v, ok := strings.CutPrefix(f, "user="); ok {
			user = v
		} else if v, ok := strings.CutPrefix(f, "auth=Bearer "); ok {
			token = v
		}
	}
	if err := x.check(user, token); err != nil {
		return nil, true, err
	}
	return nil, true, nil
}
