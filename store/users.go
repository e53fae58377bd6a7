package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// webSchema (schema 7) holds the web view's personal logins, their
// sessions, the access log of everything done through the web, and the
// full-text index of cases.
//
// case_search is an FTS5 table keyed by case id (rowid). Column redacted
// holds what anyone may search: number, category, unit, committee,
// channel and the PII-free description. Column original holds what only
// roles that may read originals search: the documents' text and the
// citizen's address and phone. Triggers keep it in step with cases,
// documents and contacts. The tokenizer is unicode61 with
// remove_diacritics 0: in Swedish å, ä and ö are letters of their own
// ("får" is not "far", "för" is not "for"), so folding them away, as
// remove_diacritics 1 or 2 would, merges different words; case is still
// folded. Prefix indexes of 2 and 3 characters make "gat*" fast.
var webSchema = `
-- Schema 7: the web view (personal logins, sessions, access log) and the
-- full-text index of cases.
CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
	password_hash   TEXT NOT NULL DEFAULT '',
	role            TEXT NOT NULL,
	units           TEXT NOT NULL DEFAULT '',
	disabled        INTEGER NOT NULL DEFAULT 0,
	failed_logins   INTEGER NOT NULL DEFAULT 0,
	locked_until    TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL
);
CREATE TABLE sessions (
	token_hash  TEXT PRIMARY KEY,
	user_id     INTEGER NOT NULL REFERENCES users(id),
	csrf        TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
-- Append-only, like events: who did or saw what, when.
CREATE TABLE access_log (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	case_id     INTEGER,
	document_id INTEGER,
	outcome     TEXT NOT NULL DEFAULT 'ok',
	detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_case ON access_log(case_id);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE VIRTUAL TABLE case_search USING fts5(redacted, original, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3');
CREATE TRIGGER case_search_case_insert AFTER INSERT ON cases BEGIN ` + searchRefresh("NEW.id") + ` END;
CREATE TRIGGER case_search_case_update AFTER UPDATE OF description, unit, committee, category, number ON cases BEGIN ` + searchRefresh("NEW.id") + ` END;
CREATE TRIGGER case_search_doc_insert AFTER INSERT ON documents BEGIN ` + searchRefresh("NEW.case_id") + ` END;
CREATE TRIGGER case_search_contact_insert AFTER INSERT ON contacts BEGIN ` + searchRefresh("NEW.case_id") + ` END;
CREATE TRIGGER case_search_contact_update AFTER UPDATE ON contacts BEGIN ` + searchRefresh("NEW.case_id") + ` END;
-- A purge (gallring) empties document texts and deletes contacts: the
-- index forgets them too, and with secure-delete FTS5 removes the terms
-- from its own pages instead of leaving them until a merge.
CREATE TRIGGER case_search_doc_update AFTER UPDATE OF text ON documents BEGIN ` + searchRefresh("NEW.case_id") + ` END;
CREATE TRIGGER case_search_contact_delete AFTER DELETE ON contacts BEGIN ` + searchRefresh("OLD.case_id") + ` END;
INSERT INTO case_search(case_search, rank) VALUES('secure-delete', 1);
INSERT INTO case_search(rowid, redacted, original) SELECT id, ` + searchRedacted + `, ` + searchOriginal + ` FROM cases c;
`

const searchRedacted = `c.number || ' ' || c.category || ' ' || c.unit || ' ' || c.committee || ' ' || c.channel || ' ' || c.description`

const searchOriginal = `COALESCE((SELECT group_concat(text, ' ') FROM documents WHERE case_id = c.id), '') || ' ' ||
	COALESCE((SELECT email || ' ' || phone FROM contacts WHERE case_id = c.id), '')`

// searchRefresh is the trigger body that rewrites one case's index row.
func searchRefresh(id string) string {
	return `DELETE FROM case_search WHERE rowid = ` + id + `;
	INSERT INTO case_search(rowid, redacted, original) SELECT id, ` + searchRedacted + `, ` + searchOriginal + ` FROM cases c WHERE c.id = ` + id + `;`
}

// User is a personal login to the web view.
type User struct {
	ID           int64
	Name         string
	PasswordHash string
	Role         string
	Units        []string // the units an "enhet" user sees
	Disabled     bool
	FailedLogins int
	LockedUntil  time.Time
}

// ErrUserExists is returned (wrapped) when a user name is taken.
var ErrUserExists = errors.New("user exists")

const userColumns = "id, name, password_hash, role, units, disabled, failed_logins, locked_until"

func scanUser(r scanner) (User, error) {
	var u User
	var units, locked string
	err := r.Scan(&u.ID, &u.Name, &u.PasswordHash, &u.Role, &units, &u.Disabled, &u.FailedLogins, &locked)
	u.Units, u.LockedUntil = splitUnits(units), parseTS(locked)
	return u, err
}

func splitUnits(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// AddUser creates a user; a taken name returns ErrUserExists.
func (s *Store) AddUser(ctx context.Context, u User) (User, error) {
	res, err := s.db.ExecContext(ctx, "INSERT INTO users(name, password_hash, role, units, created_at) VALUES(?, ?, ?, ?, ?)",
		u.Name, u.PasswordHash, u.Role, strings.Join(u.Units, "\n"), ts(s.now()))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return u, fmt.Errorf("add user %s: %w", u.Name, ErrUserExists)
		}
		return u, fmt.Errorf("add user %s: %w", u.Name, err)
	}
	u.ID, _ = res.LastInsertId()
	return u, nil
}

// UserByName returns a user by name (case-insensitive) or ErrNotFound.
func (s *Store) UserByName(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE name = ?", strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// Users lists all users by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	return collect(ctx, s.db, "list users", func(r *sql.Rows) (User, error) { return scanUser(r) },
		"SELECT "+userColumns+" FROM users ORDER BY name")
}

func (s *Store) updateUser(ctx context.Context, name, set string, args ...any) error {
	res, err := s.db.ExecContext(ctx, "UPDATE users SET "+set+" WHERE name = ?", append(args, name)...)
	if err != nil {
		return fmt.Errorf("update user %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %s: %w", name, ErrNotFound)
	}
	return nil
}

// SetPassword replaces a user's password hash and clears a lockout.
func (s *Store) SetPassword(ctx context.Context, name, hash string) error {
	return s.updateUser(ctx, name, "password_hash = ?, failed_logins = 0, locked_until = ''", hash)
}

// DisableUser disables a user and ends the user's sessions.
func (s *Store) DisableUser(ctx context.Context, name string) error {
	if err := s.updateUser(ctx, name, "disabled = 1"); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", name)
	if err != nil {
		return fmt.Errorf("end sessions of %s: %w", name, err)
	}
	return nil
}

// LoginFailed counts a failed login and locks the user until lockUntil
// once max failures in a row are reached.
func (s *Store) LoginFailed(ctx context.Context, userID int64, max int, lockUntil time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1,
		locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?`, max, ts(lockUntil), userID)
	if err != nil {
		return fmt.Errorf("count failed login: %w", err)
	}
	return nil
}

// LoginSucceeded clears the failure count.
func (s *Store) LoginSucceeded(ctx context.Context, userID int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = ?", userID)
	if err != nil {
		return fmt.Errorf("clear failed logins: %w", err)
	}
	return nil
}

// Session is a logged-in browser.
type Session struct {
	User      User
	CSRF      string
	ExpiresAt time.Time
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession stores a session; only the token's hash is kept.
func (s *Store) CreateSession(ctx context.Context, token string, userID int64, csrf string, expires time.Time) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at) VALUES(?, ?, ?, ?, ?)",
		tokenHash(token), userID, csrf, ts(s.now()), ts(expires))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByToken returns a live session of an enabled user, or ErrNotFound.
func (s *Store) SessionByToken(ctx context.Context, token string, now time.Time) (Session, error) {
	var sess Session
	var exp string
	row := s.db.QueryRowContext(ctx, "SELECT s.csrf, s.expires_at, "+prefixed("u.", userColumns)+
		" FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0", tokenHash(token), ts(now))
	var units, locked string
	u := &sess.User
	err := row.Scan(&sess.CSRF, &exp, &u.ID, &u.Name, &u.PasswordHash, &u.Role, &units, &u.Disabled, &u.FailedLogins, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return sess, fmt.Errorf("read session: %w", err)
	}
	u.Units, u.LockedUntil, sess.ExpiresAt = splitUnits(units), parseTS(locked), parseTS(exp)
	return sess, nil
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Access is one entry of the access log.
type Access struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string // e.g. "login", "view_case", "read_original", "close"
	CaseID     int64  // 0: none
	DocumentID int64  // 0: none
	Outcome    string // "ok", "denied", "failed"
	Detail     string // never a password, never message text
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// LogAccess appends to the access log.
func (s *Store) LogAccess(ctx context.Context, a Access) error {
	if a.Outcome == "" {
		a.Outcome = "ok"
	}
	_, err := s.db.ExecContext(ctx, "INSERT INTO access_log(at, actor, action, case_id, document_id, outcome, detail) VALUES(?, ?, ?, ?, ?, ?, ?)",
		ts(s.now()), a.Actor, a.Action, nullID(a.CaseID), nullID(a.DocumentID), a.Outcome, a.Detail)
	if err != nil {
		return fmt.Errorf("log access: %w", err)
	}
	return nil
}

// AccessLog returns the access log of a case (caseID 0: all entries).
func (s *Store) AccessLog(ctx context.Context, caseID int64) ([]Access, error) {
	q := "SELECT id, at, actor, action, COALESCE(case_id, 0), COALESCE(document_id, 0), outcome, detail FROM access_log"
	var args []any
	if caseID != 0 {
		q, args = q+" WHERE case_id = ?", append(args, caseID)
	}
	return collect(ctx, s.db, "read access log", func(r *sql.Rows) (Access, error) {
		var a Access
		var at string
		err := r.Scan(&a.ID, &at, &a.Actor, &a.Action, &a.CaseID, &a.DocumentID, &a.Outcome, &a.Detail)
		a.At = parseTS(at)
		return a, err
	}, q+" ORDER BY id", args...)
}
