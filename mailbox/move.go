package mailbox

import (
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// committed is a message whose case the Handler has committed, waiting to
// be moved out of the inbox.
type committed struct {
	uid  uint32
	disp Disposition
	dest string
}

// moveCommitted moves msgs with one command per destination and marks the
// moved ones in done. A refused batch falls back to one message at a time,
// so one bad UID cannot hold up the rest; a refused single move is retried
// later with backoff. err is non-nil only when the connection is gone.
func (s *session) moveCommitted(msgs []committed, done map[uint32]bool) error {
	for _, group := range byDest(msgs) {
		if err := s.moveGroup(group, done); err != nil {
			return err
		}
	}
	return nil
}

// byDest groups msgs by destination, keeping their order.
func byDest(msgs []committed) [][]committed {
	var groups [][]committed
	idx := make(map[string]int, 2)
	for _, m := range msgs {
		i, ok := idx[m.dest]
		if !ok {
			i = len(groups)
			idx[m.dest] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], m)
	}
	return groups
}

// moveGroup moves msgs, which share a destination, in one command.
func (s *session) moveGroup(msgs []committed, done map[uint32]bool) error {
	var set imap.UIDSet
	for _, m := range msgs {
		set.AddNum(imap.UID(m.uid))
	}
	dest := msgs[0].dest
	err := s.move(set, dest)
	if _, refused := isServerRefusal(err); err != nil && !refused {
		return fmt.Errorf("move uids %v: %w", set, err)
	}
	switch {
	case err == nil:
		for _, m := range msgs {
			done[m.uid] = true
			s.in.retries.done(m.uid)
			s.log.Info("message moved", keyUID, m.uid, keyDisposition, m.disp, keyDest, dest)
		}
	case len(msgs) == 1:
		s.retryLater(msgs[0].uid, "server refused move; will retry", err)
	default:
		s.log.Warn("server refused batched move; moving one by one", keyCount, len(msgs), keyDest, dest, keyErr, err)
		for _, m := range msgs {
			if err := s.moveGroup([]committed{m}, done); err != nil {
				return err
			}
		}
	}
	return nil
}

// move moves the messages in set to dest: UID MOVE when the server has
// MOVE (RFC 6851), else UID COPY, STORE \Deleted and UID EXPUNGE
// (RFC 4315), or a plain EXPUNGE without UIDPLUS, which also expunges
// other messages already flagged \Deleted. Each step waits for the
// previous one, so a failed COPY (which copies nothing, RFC 9051 §6.4.7)
// never leads to a deleted message. When the server answers TRYCREATE, the
// mailboxes are created and the move is tried once more.
func (s *session) move(set imap.UIDSet, dest string) error {
	err := s.moveOnce(set, dest)
	if imapErr, ok := isServerRefusal(err); ok && imapErr.Code == imap.ResponseCodeTryCreate {
		if err := s.in.ensureMailboxes(s.c); err != nil {
			return err
		}
		err = s.moveOnce(set, dest)
	}
	return err
}

func (s *session) moveOnce(set imap.UIDSet, dest string) error {
	caps := s.c.Caps()
	if caps.Has(imap.CapMove) {
		if _, err := s.c.Move(set, dest).Wait(); err != nil {
			return fmt.Errorf("uid move: %w", err)
		}
		return nil
	}
	if _, err := s.c.Copy(set, dest).Wait(); err != nil {
		return fmt.Errorf("uid copy: %w", err)
	}
	flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
	if err := s.c.Store(set, flags, nil).Close(); err != nil {
		return fmt.Errorf("store \\Deleted: %w", err)
	}
	if caps.Has(imap.CapUIDPlus) {
		if err := s.c.UIDExpunge(set).Close(); err != nil {
			return fmt.Errorf("uid expunge: %w", err)
		}
		return nil
	}
	if err := s.c.Expunge().Close(); err != nil {
		return fmt.Errorf("expunge: %w", err)
	}
	return nil
}
