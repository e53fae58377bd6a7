package mailbox

import (
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// move moves one message to dest: UID MOVE when the server has MOVE
// (RFC 6851), else UID COPY, STORE \Deleted and UID EXPUNGE (RFC 4315), or
// a plain EXPUNGE without UIDPLUS, which also expunges other messages
// already flagged \Deleted. Each step waits for the previous one, so a
// failed COPY never leads to a deleted message. When the server answers
// TRYCREATE, the mailboxes are created and the move is tried once more.
func (s *session) move(uid uint32, dest string) error {
	err := s.moveOnce(uid, dest)
	if imapErr, ok := isServerRefusal(err); ok && imapErr.Code == imap.ResponseCodeTryCreate {
		if err := s.in.ensureMailboxes(s.c); err != nil {
			return err
		}
		err = s.moveOnce(uid, dest)
	}
	return err
}

func (s *session) moveOnce(uid uint32, dest string) error {
	set := imap.UIDSetNum(imap.UID(uid))
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
