package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/workday"
)

// Intake outcomes recorded in the ledger.
const (
	OutcomeCase       = "case"       // opened a new case
	OutcomeDocument   = "document"   // added a document to an existing case
	OutcomeQuarantine = "quarantine" // could not be parsed or registered
	OutcomeExcluded   = "excluded"   // not a synpunkt; forwarded elsewhere
	OutcomeBounce     = "bounce"     // delivery report; attached to its case if known
	// Other machine-made mail, attached to its case if known; never a case.
	OutcomeAutoReply      = "auto_reply"      // out-of-office or other automatic reply
	OutcomeFeedbackReport = "feedback_report" // abuse/spam feedback report (ARF)
	OutcomeReadReceipt    = "read_receipt"    // message disposition notification
)

// Intake identifies one incoming message for the ledger.
type Intake struct {
	Key        string    // idempotency key, see IdempotencyKey
	Source     string    // where it came from, e.g. "imap:INBOX/1234/17" or a file path
	ReceivedAt time.Time // when the organisation received it
	Raw        []byte    // the original bytes, kept intact
	// RawSHA256 is RawSum(Raw) when the caller worked it out ahead (off
	// the write lock); "" to have it computed.
	RawSHA256 string
	// RawFile, when not "", is a file holding the raw message instead of
	// Raw (a big message the IMAP intake streamed to disk), RawSize bytes
	// long with SHA-256 RawSHA256 (both required). It must lie in the
	// spool directory (SpoolDir) under a name holding ".tmp-", so that a
	// crash leaves nothing SweepSpool does not remove: the store links it
	// into the spool at commit and leaves the file itself to the caller.
	RawFile string
	RawSize int64
}

// Event is one entry for the append-only event log.
type Event struct {
	Actor  string // "synpunkt", "intake", a staff role or address of staff
	Kind   string // e.g. "registered", "forwarded", "receipt_suppressed"
	Detail string // free text or JSON, never personal data of citizens
}

// Contact holds a citizen's contact details (personal data).
type Contact struct {
	Email      string
	Phone      string // E.164
	WantsReply bool
}

// NewCase is what OpenCase registers.
type NewCase struct {
	Intake   Intake
	Case     synpunkt.Case     // Number and Status are assigned by the store; an empty Channel is e-post
	Handler  string            // address the case was forwarded to
	Document synpunkt.Document // the incoming synpunkt
	Text     string            // decoded text of the document
	Contact  *Contact          // may be nil (anonymous)
	Events   []Event
}

// Composer renders the notifications of a case once its number is known.
// It runs inside the registering transaction and must not do I/O.
type Composer func(c synpunkt.Case) ([]synpunkt.Notification, error)

// IdempotencyKey returns the ledger key of a raw message: the Message-ID
// plus a hash of the body when there is a Message-ID (so a re-delivered copy
// with other Received headers is the same message), else a hash of the
// whole message. Line endings are normalised before hashing.
func IdempotencyKey(messageID string, raw []byte) string {
	if messageID == "" {
		return "raw:" + hashNormalized(raw)
	}
	return midKey(messageID, hashNormalized(body(raw)))
}

// midKey is the key of a message with a Message-ID: the ID and the
// normalised hash of its body.
func midKey(messageID, bodyHash string) string { return "mid:" + messageID + ":" + bodyHash }

func body(raw []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n"), []byte("\r\r")} {
		if i := bytes.Index(raw, sep); i >= 0 {
			return raw[i+len(sep):]
		}
	}
	return nil
}

// hashNormalized is the SHA-256 (hex) of b with every CRLF turned into LF
// and the trailing LFs cut, computed without copying b: the bytes are
// those of strings.TrimRight(strings.ReplaceAll(b, "\r\n", "\n"), "\n").
func hashNormalized(b []byte) string {
	// The trailing run of LF and CRLF becomes LFs and is cut. A LF after a
	// CR always ends a CRLF (a CR before it cannot belong to another).
	end := len(b)
	for end > 0 && b[end-1] == '\n' {
		end--
		if end > 0 && b[end-1] == '\r' {
			end--
		}
	}
	b = b[:end]
	h := sha256.New()
	crlf := []byte("\r\n")
	for {
		i := bytes.Index(b, crlf)
		if i < 0 {
			h.Write(b)
			break
		}
		h.Write(b[:i])
		h.Write(crlf[1:])
		b = b[i+2:]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// RawSum is the hex SHA-256 of a raw message, as the ledger keeps it
// (Intake.RawSHA256).
func RawSum(raw []byte) string { return sum(raw) }

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Seen reports the outcome recorded for an idempotency key, if any.
func (s *Store) Seen(ctx context.Context, key string) (outcome string, caseID int64, ok bool, err error) {
	var cid sql.NullInt64
	err = s.qQueryRow(ctx, "SELECT outcome, case_id FROM intake WHERE idem_key = ?", key).Scan(&outcome, &cid)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, false, nil
	}
	if err != nil {
		return "", 0, false, fmt.Errorf("look up intake key: %w", err)
	}
	return outcome, cid.Int64, true, nil
}

// insertIntake writes the ledger row or returns ErrDuplicate.
// It returns the row's id and the SHA-256 of the raw message.
func (s *Store) insertIntake(ctx context.Context, tx *sql.Tx, in Intake, outcome, reason string, caseID int64) (int64, string, error) {
	var cid any
	if caseID != 0 {
		cid = caseID
	}
	if in.RawFile != "" {
		if !s.spoolIt(int(in.RawSize)) || !validSum(in.RawSHA256) {
			b, err := os.ReadFile(in.RawFile) // no spool for it: kept in the row
			if err != nil {
				return 0, "", fmt.Errorf("insert intake: %w", err)
			}
			in.Raw, in.RawFile = b, ""
		}
	}
	if in.Raw == nil {
		in.Raw = []byte{} // an empty message is still recorded
	}
	rawSum := in.RawSHA256
	if rawSum == "" {
		rawSum = sum(in.Raw)
	}
	// A large raw message goes to the spool: the row keeps its hash and
	// size, and the file is written (and fsynced) before the commit.
	raw, spooled := in.Raw, 0
	switch {
	case in.RawFile != "":
		raw, spooled = []byte{}, int(in.RawSize)
	case s.spoolIt(len(in.Raw)):
		raw, spooled = []byte{}, len(in.Raw)
	}
	res, err := s.txExec(ctx, tx, `INSERT INTO intake(idem_key, source, received_at, outcome, reason, case_id, raw_sha256, raw, raw_spool)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(idem_key) DO NOTHING`,
		in.Key, in.Source, ts(in.ReceivedAt), outcome, reason, cid, rawSum, raw, spooled)
	if err != nil {
		return 0, "", fmt.Errorf("insert intake: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, "", fmt.Errorf("intake %s: %w", in.Key, ErrDuplicate)
	}
	if spooled > 0 {
		write := func() error { return s.writeSpool(rawSum, in.Raw) }
		if in.RawFile != "" {
			write = func() error { return s.adoptSpool(rawSum, in.RawFile, in.RawSize) }
		}
		if err := write(); err != nil {
			return 0, "", fmt.Errorf("insert intake: %w", err)
		}
	}
	id, err := res.LastInsertId()
	return id, rawSum, err
}

// nextNumber allocates the next case number of the year of t, the time of
// registration: never a date the message claims, which anyone can forge.
func (s *Store) nextNumber(ctx context.Context, tx *sql.Tx, t time.Time) (string, error) {
	year := t.In(stockholm).Year()
	var seq int
	err := s.txQueryRow(ctx, tx, `INSERT INTO case_seq(year, last) VALUES(?, 1)
		ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last`, year).Scan(&seq)
	if err != nil {
		return "", fmt.Errorf("allocate case number: %w", err)
	}
	return FormatNumber(s.format, year, seq), nil
}

var stockholm = workday.Stockholm

// FormatNumber renders a case number pattern: {year}, {seq} and {seq:N}.
func FormatNumber(format string, year, seq int) string {
	out := strings.ReplaceAll(format, "{year}", strconv.Itoa(year))
	for w := 1; w <= 9; w++ {
		out = strings.ReplaceAll(out, fmt.Sprintf("{seq:%d}", w), fmt.Sprintf("%0*d", w, seq))
	}
	return strings.ReplaceAll(out, "{seq}", strconv.Itoa(seq))
}

// OpenCase registers a new case with its first document, the ledger row,
// its events and the notifications compose renders, in one transaction.
// It returns an error wrapping ErrDuplicate when the intake key was seen.
func (s *Store) OpenCase(ctx context.Context, nc NewCase, compose Composer) (synpunkt.Case, error) {
	c := nc.Case
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if _, _, seen, err := s.seenTx(ctx, tx, nc.Intake.Key); err != nil || seen {
			if err == nil {
				err = fmt.Errorf("intake %s: %w", nc.Intake.Key, ErrDuplicate)
			}
			return err
		}
		num, err := s.nextNumber(ctx, tx, now)
		if err != nil {
			return err
		}
		c.Number, c.Status = num, synpunkt.StatusOpen
		c.Handler = nc.Handler
		if c.Channel == "" {
			c.Channel = synpunkt.ChannelEpost
		}
		res, err := s.txExec(ctx, tx, `INSERT INTO cases(number, status, received_at, category, unit, committee, initiated_by, description, sensitive, handler, created_at, first_response_due, final_due, channel)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Number, c.Status, ts(c.ReceivedAt), c.Category, c.Unit, c.Committee, c.InitiatedBy, c.Description, c.Sensitive, nc.Handler, ts(now),
			tsOpt(c.FirstResponseDue), tsOpt(c.FinalDue), c.Channel)
		if err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		c.ID, _ = res.LastInsertId()
		if err := s.addDocumentTx(ctx, tx, c.ID, nc.Intake, OutcomeCase, &nc.Document, nc.Text); err != nil {
			return err
		}
		if nc.Contact != nil {
			if _, err := s.txExec(ctx, tx, "INSERT INTO contacts(case_id, email, phone, wants_reply) VALUES(?, ?, ?, ?)",
				c.ID, nc.Contact.Email, nc.Contact.Phone, nc.Contact.WantsReply); err != nil {
				return fmt.Errorf("insert contact: %w", err)
			}
		}
		c.Documents = []synpunkt.Document{nc.Document}
		events := append([]Event{{Actor: "synpunkt", Kind: "case_opened", Detail: fmt.Sprintf("%s; %s; %s", c.Category, c.Unit, c.InitiatedBy)}}, nc.Events...)
		return s.finishTx(ctx, tx, c, ledgerRaw{nc.Intake.Raw, nc.Document.RawSHA256, nc.Intake.RawSize}, events, compose)
	})
	if err != nil {
		return synpunkt.Case{}, fmt.Errorf("open case: %w", err)
	}
	return c, nil
}

func (s *Store) seenTx(ctx context.Context, tx *sql.Tx, key string) (string, int64, bool, error) {
	var outcome string
	var cid sql.NullInt64
	err := s.txQueryRow(ctx, tx, "SELECT outcome, case_id FROM intake WHERE idem_key = ?", key).Scan(&outcome, &cid)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, false, nil
	}
	if err != nil {
		return "", 0, false, fmt.Errorf("look up intake key: %w", err)
	}
	return outcome, cid.Int64, true, nil
}

// addDocumentTx writes the ledger row and the document.
func (s *Store) addDocumentTx(ctx context.Context, tx *sql.Tx, caseID int64, in Intake, outcome string, d *synpunkt.Document, text string) error {
	intakeID, rawSum, err := s.insertIntake(ctx, tx, in, outcome, "", caseID)
	if err != nil {
		return err
	}
	att := ""
	if len(d.Attachments) > 0 {
		b, err := json.Marshal(d.Attachments)
		if err != nil {
			return fmt.Errorf("attachments: %w", err)
		}
		att = string(b)
	}
	res, err := s.txExec(ctx, tx, `INSERT INTO documents(case_id, type, direction, sender_role, received_at, message_id, intake_id, text, attachments, claimed_date)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, caseID, d.Type, d.Direction, d.SenderRole, ts(d.ReceivedAt), d.MessageID, intakeID, text, att, tsOpt(d.ClaimedDate))
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	if d.Type == synpunkt.DocSvar {
		// The first Svar stops the first-response clock.
		if _, err := s.txExec(ctx, tx, "UPDATE cases SET first_response_at = ? WHERE id = ? AND first_response_at = ''", ts(d.ReceivedAt), caseID); err != nil {
			return fmt.Errorf("record first response: %w", err)
		}
	}
	d.ID, _ = res.LastInsertId()
	d.CaseID, d.RawSHA256 = caseID, rawSum
	return nil
}

// finishTx writes events and the composed notifications; in is the
// message the transaction just put in the ledger, which a forward attaches.
func (s *Store) finishTx(ctx context.Context, tx *sql.Tx, c synpunkt.Case, in ledgerRaw, events []Event, compose Composer) error {
	if err := s.writeTx(ctx, tx, c.ID, events, nil); err != nil {
		return err
	}
	if compose == nil {
		return nil
	}
	out, err := compose(c)
	if err != nil {
		return fmt.Errorf("compose notifications: %w", err)
	}
	return s.enqueueTx(ctx, tx, c.ID, out, &in)
}

func (s *Store) eventTx(ctx context.Context, tx *sql.Tx, caseID int64, e Event) error {
	var cid any
	if caseID != 0 {
		cid = caseID
	}
	detail, text := e.Detail, ""
	if textKinds[e.Kind] {
		detail, text = "", e.Detail
	}
	res, err := s.txExec(ctx, tx, "INSERT INTO events(case_id, at, actor, kind, detail) VALUES(?, ?, ?, ?, ?)",
		cid, ts(s.now()), e.Actor, e.Kind, detail)
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	return s.eventTextTx(ctx, tx, res, text)
}

// AddDocument registers a later document (reply, komplettering) in a case,
// with its ledger row, events and notifications, in one transaction.
func (s *Store) AddDocument(ctx context.Context, caseID int64, in Intake, d synpunkt.Document, text string, events []Event, compose Composer) (synpunkt.Document, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.caseTx(ctx, tx, "id = ?", caseID)
		if err != nil {
			return err
		}
		if err := s.addDocumentTx(ctx, tx, caseID, in, OutcomeDocument, &d, text); err != nil {
			return err
		}
		events = append([]Event{{Actor: "synpunkt", Kind: "document_added", Detail: fmt.Sprintf("%s; %s; %s", d.Type, d.Direction, d.SenderRole)}}, events...)
		return s.finishTx(ctx, tx, c, ledgerRaw{in.Raw, d.RawSHA256, in.RawSize}, events, compose)
	})
	if err != nil {
		return synpunkt.Document{}, fmt.Errorf("add document: %w", err)
	}
	return d, nil
}

// RecordIntake writes a ledger row for a message that opened no case
// (quarantined, excluded, a bounce), with events and notifications. caseID
// may be 0. It returns ErrDuplicate (wrapped) for a key seen before.
func (s *Store) RecordIntake(ctx context.Context, in Intake, outcome, reason string, caseID int64, events []Event, out []synpunkt.Notification) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.insertIntake(ctx, tx, in, outcome, reason, caseID); err != nil {
			return err
		}
		return s.writeTx(ctx, tx, caseID, events, out)
	})
	if err != nil {
		return fmt.Errorf("record %s: %w", outcome, err)
	}
	return nil
}

// AddEvent appends one event to the log (caseID may be 0).
func (s *Store) AddEvent(ctx context.Context, caseID int64, e Event) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.eventTx(ctx, tx, caseID, e) })
}
