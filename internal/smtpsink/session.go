package smtpsink

import (
	"io"
	"slices"
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
	if mech == "LOGIN" {
		return &loginServer{check: check}, nil
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

func (ss *session) Logout() error { return nil }

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
