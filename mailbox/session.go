package mailbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
)

// ErrConnClosed is returned when the server closed the connection.
var ErrConnClosed = errors.New("imap connection closed")

const (
	logoutTimeout = 5 * time.Second
	// shutdownGrace is how long an in-flight command may run after ctx is
	// cancelled before the connection is closed under it.
	shutdownGrace = 5 * time.Second
)

// session is one logged-in connection with the watched mailbox selected.
// It is used by Run's goroutine only.
type session struct {
	in      *Intake
	c       *imapclient.Client
	log     *slog.Logger
	newMail chan struct{} // buffer of one; signalled on EXISTS

	uidValidity uint32    // of the selected mailbox
	last        uint32    // checkpoint: every UID ≤ last is handled
	saved       uint32    // last value written to the CheckpointStore
	savedAt     time.Time // when (wall clock), zero before the first
	maxHandled  uint32    // highest UID handled (or found gone) this session
	// lastMail is when a pass last found new mail (Config.Now); zero
	// before the first. It opens the burst window (see bursting).
	lastMail time.Time
	// files are the messages fetched into files (Config.SpoolDir), by
	// UID: written by the fetch, which may run beside the Handler.
	files sync.Map // uint32 → *mimeparse.RawFile
	// conn serialises the commands of a pass on c: the fetcher's fetches
	// and the moves run on goroutines of their own (see runBatches).
	conn sync.Mutex
	// lean bounds the Lean copies awaiting Prepare (see budget).
	lean budget
}

// session runs one connection until it fails or ctx is cancelled. worked
// reports whether at least one pass completed, which resets the backoff.
func (in *Intake) session(ctx context.Context) (worked bool, err error) {
	s := &session{in: in, log: in.log, newMail: make(chan struct{}, 1)}
	opts := &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				signal(s.newMail)
			}
		},
	}}
	if s.c, err = in.dial(ctx, opts); err != nil {
		return false, err
	}
	defer s.logout()
	defer s.files.Range(func(uid, f any) bool { // of a prefetch the pass dropped
		s.files.Delete(uid)
		removeRawFile(f.(*mimeparse.RawFile))
		return true
	})
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(shutdownGrace, func() { s.c.Close() }) })
	defer stop()
	if err := s.open(ctx); err != nil {
		return false, err
	}
	for {
		if err := s.pass(ctx); err != nil {
			return worked, err
		}
		worked = true
		in.passes.Add(1)
		if err := s.wait(ctx); err != nil || ctx.Err() != nil {
			return worked, err
		}
	}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// open logs in, creates the target mailboxes, selects the watched one and
// loads the checkpoint.
func (s *session) open(ctx context.Context) error {
	if err := s.in.login(ctx, s.c); err != nil {
		return err
	}
	if err := s.in.ensureMailboxes(s.c); err != nil {
		return err
	}
	sel, err := s.c.Select(s.in.cfg.Mailbox, nil).Wait()
	if err != nil {
		return fmt.Errorf("select %q: %w", s.in.cfg.Mailbox, err)
	}
	s.uidValidity = sel.UIDValidity
	s.log = s.in.log.With(keyMailbox, s.in.cfg.Mailbox, keyUIDValidity, sel.UIDValidity)
	return s.loadCheckpoint(ctx)
}

// loadCheckpoint resumes after the stored last UID, or from 0 when the
// stored UIDVALIDITY differs: UIDs no longer name the same messages
// (RFC 9051 §2.3.1.1), and the Handler recognises what it has seen.
func (s *session) loadCheckpoint(ctx context.Context) error {
	mbox := s.in.cfg.Mailbox
	v, last, err := s.in.cp.LoadCheckpoint(ctx, mbox)
	if err != nil {
		return fmt.Errorf("load checkpoint: %w", err)
	}
	s.in.retries.reset(s.uidValidity)
	switch v {
	case s.uidValidity:
		s.last, s.saved = last, last
	case 0:
		s.last, s.saved = 0, 0
	default:
		s.log.Warn("UIDVALIDITY changed; offering every message again", keyOld, v)
		s.last, s.saved = 0, 0
		if err := s.in.cp.SaveCheckpoint(ctx, mbox, s.uidValidity, 0); err != nil {
			return fmt.Errorf("save checkpoint: %w", err)
		}
	}
	return nil
}

// logout says LOGOUT, bounded in time, and closes the connection.
func (s *session) logout() {
	done := make(chan struct{})
	go func() {
		_ = s.c.Logout().Wait()
		close(done)
	}()
	t := time.NewTimer(logoutTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
	_ = s.c.Close()
}

// saveCheckpoint stores s.last if it moved. A failure is logged, not
// returned: the in-memory checkpoint stays authoritative for this session,
// and after a restart the Handler recognises messages offered again.
func (s *session) saveCheckpoint(ctx context.Context) {
	if s.last == s.saved {
		return
	}
	s.savedAt = time.Now()
	if err := s.in.cp.SaveCheckpoint(ctx, s.in.cfg.Mailbox, s.uidValidity, s.last); err != nil {
		s.log.Warn("save checkpoint failed", keyErr, err, keyUID, s.last)
		return
	}
	s.saved = s.last
}

// isServerRefusal reports whether err is a tagged NO/BAD from the server,
// as opposed to a broken connection.
func isServerRefusal(err error) (*imap.Error, bool) {
	var imapErr *imap.Error
	ok := errors.As(err, &imapErr)
	return imapErr, ok
}
