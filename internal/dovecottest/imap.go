package dovecottest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Dial returns a logged-in IMAP client; it is logged out by t.Cleanup.
func (s *Server) Dial(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr(), nil)
	if err != nil {
		t.Fatalf("dovecottest: dial %s: %v", s.Addr(), err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Login(s.User(), s.Password()).Wait(); err != nil {
		t.Fatalf("dovecottest: login: %v", err)
	}
	return c
}

// Append stores raw in mailbox (UTF-8 name), creating the mailbox if missing.
func (s *Server) Append(t testing.TB, mailbox string, raw []byte) {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	s.ensureMailbox(t, c, mailbox)
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatalf("dovecottest: append to %q: %v", mailbox, err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatalf("dovecottest: append to %q: %v", mailbox, err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("dovecottest: append to %q: %v", mailbox, err)
	}
}

func (s *Server) ensureMailbox(t testing.TB, c *imapclient.Client, mailbox string) {
	t.Helper()
	if strings.EqualFold(mailbox, "INBOX") {
		return
	}
	err := c.Create(mailbox, nil).Wait()
	var imapErr *imap.Error
	if err != nil && !(errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeAlreadyExists) {
		t.Fatalf("dovecottest: create %q: %v", mailbox, err)
	}
}

// List returns the raw messages in mailbox in UID order; nil when the
// mailbox does not exist.
func (s *Server) List(t testing.TB, mailbox string) [][]byte {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	if !s.exists(t, c, mailbox) {
		return nil
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("dovecottest: select %q: %v", mailbox, err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	section := &imap.FetchItemBodySection{Peek: true}
	all := imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}
	msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatalf("dovecottest: fetch %q: %v", mailbox, err)
	}
	var out [][]byte
	for _, m := range msgs {
		out = append(out, m.FindBodySection(section))
	}
	return out
}

// Count returns the number of messages in mailbox; 0 when it does not exist.
func (s *Server) Count(t testing.TB, mailbox string) int {
	t.Helper()
	st := s.status(t, mailbox)
	if st == nil || st.NumMessages == nil {
		return 0
	}
	return int(*st.NumMessages)
}

// Seen returns how many messages in mailbox carry \Seen (STATUS MESSAGES
// minus UNSEEN); 0 when it does not exist.
func (s *Server) Seen(t testing.TB, mailbox string) int {
	t.Helper()
	st := s.status(t, mailbox)
	if st == nil || st.NumMessages == nil || st.NumUnseen == nil {
		return 0
	}
	return int(*st.NumMessages - *st.NumUnseen)
}

// UIDValidity returns the UIDVALIDITY of mailbox.
func (s *Server) UIDValidity(t testing.TB, mailbox string) uint32 {
	t.Helper()
	st := s.status(t, mailbox)
	if st == nil {
		t.Fatalf("dovecottest: mailbox %q does not exist", mailbox)
	}
	return st.UIDValidity
}

func (s *Server) status(t testing.TB, mailbox string) *imap.StatusData {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	if !s.exists(t, c, mailbox) {
		return nil
	}
	opts := &imap.StatusOptions{NumMessages: true, NumUnseen: true, UIDValidity: true}
	st, err := c.Status(mailbox, opts).Wait()
	if err != nil {
		t.Fatalf("dovecottest: status %q: %v", mailbox, err)
	}
	return st
}

// Mailboxes lists all mailbox names, decoded to UTF-8.
func (s *Server) Mailboxes(t testing.TB) []string {
	t.Helper()
	c := s.Dial(t)
	defer c.Logout()
	return s.mailboxes(t, c)
}

func (s *Server) mailboxes(t testing.TB, c *imapclient.Client) []string {
	t.Helper()
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatalf("dovecottest: list: %v", err)
	}
	var names []string
	for _, l := range list {
		names = append(names, l.Mailbox)
	}
	return names
}

func (s *Server) exists(t testing.TB, c *imapclient.Client, mailbox string) bool {
	t.Helper()
	for _, name := range s.mailboxes(t, c) {
		if name == mailbox || strings.EqualFold(mailbox, "INBOX") && strings.EqualFold(name, "INBOX") {
			return true
		}
	}
	return false
}

// ResetUIDValidity gives mailbox a new UIDVALIDITY while keeping its
// messages, the way a restored backup or a rebuilt index does (RFC 9051
// §2.3.1.1): stop Dovecot, delete the mailbox's dovecot-uidlist and index
// files and the mailbox list index, start again. It fails the test unless
// the value changed and the message count stayed the same.
func (s *Server) ResetUIDValidity(t testing.TB, mailbox string) {
	t.Helper()
	before, count := s.UIDValidity(t, mailbox), s.Count(t, mailbox)
	s.Stop()
	dir := s.mailboxDir(mailbox)
	var remove []string
	for _, pattern := range []string{"dovecot-uidlist", "dovecot.index*", "dovecot.list.index*"} {
		m1, _ := filepath.Glob(filepath.Join(dir, pattern))
		m2, _ := filepath.Glob(filepath.Join(s.MailDir(), pattern))
		remove = append(append(remove, m1...), m2...)
	}
	for _, f := range remove {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("dovecottest: reset uidvalidity: %v", err)
		}
	}
	s.Start()
	after, n := s.UIDValidity(t, mailbox), s.Count(t, mailbox)
	if after == before || n != count {
		t.Fatalf("dovecottest: reset %q: UIDVALIDITY %d -> %d, count %d -> %d; want a new UIDVALIDITY and the same count", mailbox, before, after, count, n)
	}
}

// mailboxDir is the Maildir++ directory of mailbox: the root for INBOX,
// otherwise "." plus the modified UTF-7 name with "." as separator.
func (s *Server) mailboxDir(mailbox string) string {
	if strings.EqualFold(mailbox, "INBOX") {
		return s.MailDir()
	}
	return filepath.Join(s.MailDir(), "."+encodeUTF7(strings.ReplaceAll(mailbox, "/", ".")))
}
