// Package memimap runs go-imap's in-memory IMAP server on a loopback port
// with one user and an INBOX: the mailbox the demo reads and the one tests
// that need no Dovecot run against.
//
// What always holds: the server listens on 127.0.0.1 only, accepts the
// plain-text LOGIN of its one user (InsecureAuth, as a test or demo has no
// certificate unless Options.TLS gives one) and serves until Close.
//
// How it fails: Start returns the error of creating the INBOX or of the
// listener, wrapped; a server that fails to Serve later just stops
// answering, which the client under test then sees.
package memimap

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Options says whom the server serves and how.
type Options struct {
	// User and Password are the one account's credentials.
	User, Password string
	// Caps are the advertised capabilities; default IMAP4rev1 and IMAP4rev2.
	Caps imap.CapSet
	// TLS, if set, makes the listener implicit TLS.
	TLS *tls.Config
	// Wrap, if set, wraps each new session (a test's hooks on MOVE, say).
	Wrap func(imapserver.Session) imapserver.Session
	// Logger receives the server's errors; nil is go-imap's default (the
	// standard logger), Discard drops them.
	Logger imapserver.Logger
}

// Discard is a Logger that drops everything.
var Discard imapserver.Logger = discard{}

type discard struct{}

func (discard) Printf(string, ...any) {}

// Server is a running in-memory IMAP server.
type Server struct {
	// User is the one account, for appending messages directly (Append
	// and Count do it for a test).
	User *imapmemserver.User
	srv  *imapserver.Server
	addr string
}

// Start runs a server on 127.0.0.1:0.
func Start(opt Options) (*Server, error) {
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(opt.User, opt.Password)
	if err := user.Create("INBOX", nil); err != nil {
		return nil, fmt.Errorf("create INBOX: %w", err)
	}
	mem.AddUser(user)
	caps := opt.Caps
	if caps == nil {
		caps = imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			var s imapserver.Session = mem.NewSession()
			if opt.Wrap != nil {
				s = opt.Wrap(s)
			}
			return s, nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       opt.Logger,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("imap listener: %w", err)
	}
	if opt.TLS != nil {
		ln = tls.NewListener(ln, opt.TLS)
	}
	go srv.Serve(ln)
	return &Server{User: user, srv: srv, addr: ln.Addr().String()}, nil
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// Close stops the server and closes its connections.
func (s *Server) Close() error { return s.srv.Close() }

// Append stores raw in mailbox of the account with internal date at, as
// a client's APPEND would, without a connection.
func (s *Server) Append(mailbox string, raw []byte, at time.Time) error {
	if _, err := s.User.Append(mailbox, literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: at}); err != nil {
		return fmt.Errorf("append to %s: %w", mailbox, err)
	}
	return nil
}

// Count returns the number of messages in mailbox; 0 when it does not
// exist.
func (s *Server) Count(mailbox string) int {
	st, err := s.User.Status(mailbox, &imap.StatusOptions{NumMessages: true})
	if err != nil || st.NumMessages == nil {
		return 0
	}
	return int(*st.NumMessages)
}

// literal is a message as an imap.LiteralReader.
type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }
