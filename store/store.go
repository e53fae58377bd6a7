// Package store owns the case diary: the SQLite database (modernc.org/sqlite,
// no cgo, WAL) that holds cases, their documents, the original messages, the
// intake ledger, the notification outbox, the IMAP checkpoints and the
// append-only event log.
//
// What always holds: every message that intake sees is one row in the
// intake ledger, keyed by an idempotency key (Message-ID + body hash, or the
// hash of the whole message), and a second attempt to record the same key
// returns an error wrapping ErrDuplicate instead of opening a second case.
// A case, its first document, the ledger row, its events and the
// notifications it causes are written in one transaction, so after a crash
// either all of them exist or none do. Case numbers are unique, given in
// registration order, and their sequence restarts every year. Events are only ever inserted.
//
// How it fails: every method returns a wrapped error; database errors are
// never swallowed. Open fails when the schema is newer than this program.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // database/sql driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDuplicate is returned (wrapped) when an idempotency key was seen before.
var ErrDuplicate = errors.New("already recorded")

// ErrNotFound is returned (wrapped) when a case or row does not exist.
var ErrNotFound = errors.New("not found")

// Options tune Open.
type Options struct {
	// CaseNumberFormat is the case number pattern, e.g. "SYN-{year}-{seq:5}".
	CaseNumberFormat string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AllowGroupRead lets the database's group read it (config
	// store.allow_group_read); others may never.
	AllowGroupRead bool
	// SpoolThreshold is the size from which a raw message is kept as a
	// file in the spool beside the database (see OpenRaw); 0 means
	// DefaultSpoolThreshold, a negative value never.
	SpoolThreshold int64
}

// Store is the case database. It is safe for concurrent use.
type Store struct {
	// wmu serialises this process's write transactions: a writer waiting
	// here wakes when the lock is free, where SQLite's busy handler would
	// sleep 1–100 ms between tries (intake and outbox take turns per case).
	wmu   sync.Mutex
	db    *sql.DB
	stmts stmtCache
	// migrated is set once the schema is current: only then do write
	// transactions sync the search index (schema 12's search_pending).
	migrated bool
	format   string
	now      func() time.Time
	// spoolDir holds raw messages of at least spoolMin bytes (spool.go).
	spoolDir string
	spoolMin int64
	// spoolPending are the spool files written in the current write
	// transaction, fsynced just before it commits (guarded by wmu).
	spoolPending []string
	// walPath is the database's write-ahead log, which Sync fsyncs.
	walPath string
	// batches counts the Batch commits (made without an fsync); synced
	// is the count Sync last made durable (guarded by syncMu).
	batches atomic.Uint64
	syncMu  sync.Mutex
	synced  uint64
}

// Open opens (creating and migrating if needed) the database at path. It
// creates the database 0600 and a missing directory 0700, and refuses with
// ErrReadableByOthers a database that others can read.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if err := preparePath(path, opt.AllowGroupRead); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	q := url.Values{}
	// busy_timeout first: switching a new database to WAL takes a lock
	// another process opening it at the same time may hold.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// FULL: a committed transaction survives a power loss too. Batch
	// alone commits with NORMAL and leaves the fsync to Sync (batch.go).
	q.Add("_pragma", "synchronous(FULL)")
	// secure_delete: freed pages and cells are zeroed, so a purge
	// (retention, erasure) leaves no personal data in free space.
	q.Add("_pragma", "secure_delete(1)")
	// Sorting and the transient tables of a statement stay in memory.
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{db: db, format: opt.CaseNumberFormat, now: opt.Now, walPath: path + "-wal"}
	// The first Sync fsyncs the WAL whatever this process committed: a
	// process killed before its Sync left batches in the kernel's cache
	// only, and the intake moves their messages (found registered) next.
	s.batches.Store(1)
	if s.format == "" {
		s.format = "SYN-{year}-{seq:5}"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s.migrated = true
	s.spoolDir, s.spoolMin = SpoolDir(path), opt.SpoolThreshold
	if s.spoolMin == 0 {
		s.spoolMin = DefaultSpoolThreshold
	}
	if err := checkPrivate(s.spoolDir, opt.AllowGroupRead); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Close makes every Batch this process committed durable (Sync) and
// closes the database. A process that committed none (a clerk's command,
// which may read the database without the right to its WAL) touches no
// file.
func (s *Store) Close() error {
	var serr error
	if s.batches.Load() > 1 { // 1 is Open's: see there
		serr = s.Sync(context.Background())
	}
	s.closeStmts()
	if err := s.db.Close(); err != nil {
		return err
	}
	return serr
}

// DB exposes the database handle for read-only reports and tests.
func (s *Store) DB() *sql.DB { return s.db }

// migrations are applied in order; PRAGMA user_version records how many ran.
var migrations = []string{`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
CREATE TABLE case_seq (
	year INTEGER PRIMARY KEY,
	last INTEGER NOT NULL
);
CREATE TABLE cases (
	id           INTEGER PRIMARY KEY,
	number       TEXT NOT NULL UNIQUE,
	status       TEXT NOT NULL,
	received_at  TEXT NOT NULL,
	category     TEXT NOT NULL,
	unit         TEXT NOT NULL,
	committee    TEXT NOT NULL,
	initiated_by TEXT NOT NULL,
	description  TEXT NOT NULL,
	sensitive    INTEGER NOT NULL DEFAULT 0,
	handler      TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	closed_at    TEXT
);
-- The intake ledger: one row for every message seen, whatever became of it.
-- raw is the original message, kept intact under access control.
CREATE TABLE intake (
	id          INTEGER PRIMARY KEY,
	idem_key    TEXT NOT NULL UNIQUE,
	source      TEXT NOT NULL,
	received_at TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	case_id     INTEGER REFERENCES cases(id),
	raw_sha256  TEXT NOT NULL,
	raw         BLOB NOT NULL
);
CREATE INDEX intake_outcome ON intake(outcome);
CREATE TABLE documents (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	type        TEXT NOT NULL,
	direction   TEXT NOT NULL,
	sender_role TEXT NOT NULL,
	received_at TEXT NOT NULL,
	message_id  TEXT NOT NULL DEFAULT '',
	intake_id   INTEGER REFERENCES intake(id),
	text        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_case ON documents(case_id);
CREATE INDEX documents_message_id ON documents(message_id);
-- Contact details of the citizen: personal data, kept apart from metadata
-- so retention can purge them alone.
CREATE TABLE contacts (
	case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
	email       TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	wants_reply INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER REFERENCES cases(id),
	kind            TEXT NOT NULL,
	channel         TEXT NOT NULL,
	sender          TEXT NOT NULL,
	recipient       TEXT NOT NULL,
	message_id      TEXT NOT NULL DEFAULT '',
	payload         BLOB NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_message_id ON outbox(message_id);
CREATE INDEX outbox_recipient ON outbox(kind, recipient, created_at);
CREATE TABLE checkpoints (
	mailbox      TEXT PRIMARY KEY,
	uid_validity INTEGER NOT NULL,
	last_uid     INTEGER NOT NULL
);
-- Append-only: triggers forbid UPDATE and DELETE.
CREATE TABLE events (
	id      INTEGER PRIMARY KEY,
	case_id INTEGER REFERENCES cases(id),
	at      TEXT NOT NULL,
	actor   TEXT NOT NULL,
	kind    TEXT NOT NULL,
	detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_case ON events(case_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`, `
-- Schema 2: the case lifecycle (deadlines, reminders, escalation, digest)
-- and attachment lists.
ALTER TABLE cases ADD COLUMN first_response_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN final_due TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN first_response_at TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_status ON cases(status);
-- Deadline actions taken (reminders, escalations): each key once per case,
-- so a restart after downtime catches up once.
CREATE TABLE case_actions (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	key     TEXT NOT NULL,
	at      TEXT NOT NULL,
	PRIMARY KEY (case_id, key)
);
-- Daily digests sent, one row per local day.
CREATE TABLE digests (
	day     TEXT PRIMARY KEY,
	sent_at TEXT NOT NULL
);
ALTER TABLE documents ADD COLUMN attachments TEXT NOT NULL DEFAULT '';
`, `
-- Schema 3: how a case came in (inkanal), and the outbox recipient as a
-- normalised key (lower case, no +tag; see RecipientKey) for the
-- per-sender caps. Cases before it all came by mail.
ALTER TABLE cases ADD COLUMN channel TEXT NOT NULL DEFAULT 'e-post';
ALTER TABLE outbox ADD COLUMN recipient_key TEXT GENERATED ALWAYS AS (` + recipientKeySQL + `) VIRTUAL;
CREATE INDEX outbox_recipient_key ON outbox(recipient_key, created_at);
`, `
-- Schema 4: deadline clocks run only for cases forwarded to someone.
-- import --no-notify used to set deadlines on cases it forwarded to nobody;
-- clear them, with an event saying so.
INSERT INTO events(case_id, at, actor, kind, detail)
	SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'synpunkt', 'deadlines_cleared', 'never forwarded: deadlines removed (schema 4)'
	FROM cases WHERE (first_response_due <> '' OR final_due <> '')
	AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = cases.id AND o.kind = 'forward');
UPDATE cases SET first_response_due = '', final_due = ''
	WHERE (first_response_due <> '' OR final_due <> '')
	AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = cases.id AND o.kind = 'forward');
`, `
-- Schema 5: the Date a message claims, kept as a fact on its document
-- (case numbers and deadlines never come from it).
ALTER TABLE documents ADD COLUMN claimed_date TEXT NOT NULL DEFAULT '';
`, `
-- Schema 6: outbox leases. A worker (the daemon, or a command when no
-- daemon runs) claims a row before sending it, so that no two workers send
-- the same notification; an expired lease may be taken over.
ALTER TABLE outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_until TEXT NOT NULL DEFAULT '';
`, `
-- Schema 7: every per-message and per-command lookup on an index. The
-- case number and the receipt recipient are compared case-insensitively,
-- which a BINARY index cannot serve; a case's notifications and the
-- events of one kind since a time were full scans.
CREATE INDEX cases_number_nocase ON cases(number COLLATE NOCASE);
CREATE INDEX outbox_recipient_nocase ON outbox(kind, recipient COLLATE NOCASE, created_at);
CREATE INDEX outbox_case ON outbox(case_id);
CREATE INDEX events_kind_at ON events(kind, at);
`, `
-- Schema 8: statistics reports sent to the committees on a schedule, one
-- row per committee and period, written with the report's outbox row so
-- that a restart never sends a period twice (counting events over a
-- period uses schema 7's events_kind_at).
CREATE TABLE report_deliveries (
	committee TEXT NOT NULL,
	period    TEXT NOT NULL,
	recipient TEXT NOT NULL,
	file      TEXT NOT NULL,
	sent_at   TEXT NOT NULL,
	PRIMARY KEY (committee, period)
);
`, `
-- Schema 9: retention (gallring). Free text of events (notes, closing
-- notes, preservation reasons) lives apart from the append-only event row
-- so it can be purged; the row stays. Existing texts move out once.
CREATE TABLE event_texts (
	event_id INTEGER PRIMARY KEY REFERENCES events(id),
	text     TEXT NOT NULL
);
DROP TRIGGER events_no_update;
INSERT INTO event_texts(event_id, text) SELECT id, detail FROM events WHERE kind IN ('note', 'closed', 'preserved') AND detail <> '';
UPDATE events SET detail = '' WHERE kind IN ('note', 'closed', 'preserved') AND detail <> '';
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
-- Cases to be preserved (bevaras) and delivered to the archive.
CREATE TABLE preservations (
	case_id      INTEGER PRIMARY KEY REFERENCES cases(id),
	at           TEXT NOT NULL,
	actor        TEXT NOT NULL,
	rule         TEXT NOT NULL DEFAULT '',
	delivered_at TEXT NOT NULL DEFAULT '',
	package      TEXT NOT NULL DEFAULT ''
);
-- Parts of a case already purged, by which rule and when.
CREATE TABLE purged (
	case_id INTEGER NOT NULL REFERENCES cases(id),
	part    TEXT NOT NULL,
	rule    TEXT NOT NULL,
	at      TEXT NOT NULL,
	PRIMARY KEY (case_id, part)
);
`, webSchema, `
-- Schema 11: the deadline scheduler reads only the cases due. next_due is
-- when a case may next need a reminder or escalation (NULL: nothing
-- scheduled). Triggers set it to a lower bound (the earliest running
-- deadline) whenever a deadline, the first response, the status, the unit
-- or the handler changes; the scheduler replaces it with the exact time
-- after it has looked at the case (see SetNextDue).
ALTER TABLE cases ADD COLUMN next_due TEXT;
UPDATE cases SET next_due = ` + nextDueLowerBound("cases") + `;
CREATE INDEX cases_next_due ON cases(next_due) WHERE next_due IS NOT NULL;
CREATE TRIGGER cases_next_due_insert AFTER INSERT ON cases BEGIN
	UPDATE cases SET next_due = ` + nextDueLowerBound("NEW") + ` WHERE id = NEW.id;
END;
CREATE TRIGGER cases_next_due_update AFTER UPDATE OF status, first_response_due, final_due, first_response_at, unit, handler ON cases BEGIN
	UPDATE cases SET next_due = ` + nextDueLowerBound("NEW") + ` WHERE id = NEW.id;
END;
`, searchPendingSchema, `
-- Schema 13: a forward's outbox row refers to the original in the intake
-- ledger instead of keeping a second copy of it: the raw of intake row
-- original_intake goes at byte original_at of payload when it is read.
-- No foreign key: a purge may empty or delete the original first, and the
-- forward then goes without it.
ALTER TABLE outbox ADD COLUMN original_intake INTEGER;
ALTER TABLE outbox ADD COLUMN original_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX intake_raw_sha256 ON intake(raw_sha256);
`, retentionSchema, clerkIndexSchema, spoolSchema}

// migrate applies the migrations this database lacks. Each step reads the
// schema version inside its own write transaction (BEGIN IMMEDIATE), so two
// processes opening a new database at once never apply one step twice: the
// second waits for the first's lock and then sees its version.
func (s *Store) migrate(ctx context.Context) error {
	busy := 0
	for {
		done, err := s.migrateStep(ctx)
		if isBusy(err) && busy < 50 {
			// Another process is switching a new database to WAL, when
			// SQLite answers BUSY without waiting: try again shortly.
			busy++
			time.Sleep(time.Duration(busy) * 10 * time.Millisecond)
			continue
		}
		if err != nil || done {
			return err
		}
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (the database is
// locked by another connection).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// migrateStep applies the next missing migration, if any, in one
// transaction, and reports whether the schema is up to date.
func (s *Store) migrateStep(ctx context.Context) (done bool, err error) {
	var v int
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if v > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this program (%d)", v, len(migrations))
		}
		if v == len(migrations) {
			done = true
			return nil
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
		return err
	})
	return done, err
}

// tx runs f in a write transaction (BEGIN IMMEDIATE) and commits it.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	if btx, ok := ctx.Value(batchKey{}).(*sql.Tx); ok {
		return s.savepoint(ctx, btx, f) // inside Batch
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	committed := false
	defer func() { s.spoolDone(committed) }()
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := s.syncSearch(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := s.syncSpool(); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	return nil
}

const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// parseTS reads a stored time; "" is the zero time.
func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(timeFormat, s)
	return t
}

// tsOpt stores a time, the zero time as "".
func tsOpt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

// Secret returns the named secret from the meta table, generating n random
// bytes on first use (e.g. the reply-address signing key).
func (s *Store) Secret(ctx context.Context, name string, n int) ([]byte, error) {
	var v []byte
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", name).Scan(&v)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		v = make([]byte, n)
		if _, err := rand.Read(v); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?)", name, v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return v, nil
}

// LoadCheckpoint returns the IMAP checkpoint of mailbox (zeros if none).
func (s *Store) LoadCheckpoint(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT uid_validity, last_uid FROM checkpoints WHERE mailbox = ?", mailbox).Scan(&uidValidity, &lastUID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("load checkpoint %s: %w", mailbox, err)
	}
	return uidValidity, lastUID, nil
}

// SaveCheckpoint records the IMAP checkpoint of mailbox.
func (s *Store) SaveCheckpoint(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_, err := s.db.ExecContext(ctx, `INSERT INTO checkpoints(mailbox, uid_validity, last_uid) VALUES(?, ?, ?)
		ON CONFLICT(mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid`,
		mailbox, uidValidity, lastUID)
	if err != nil {
		return fmt.Errorf("save checkpoint %s: %w", mailbox, err)
	}
	return nil
}

// setMeta sets meta's key to value in tx.
func setMeta(ctx context.Context, tx *sql.Tx, key string, value any) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	return err
}
