// Package web owns the contact center's browser view and the public web
// diary, served by the daemon on its [http] listener: server-rendered
// html/template pages in Swedish with embedded assets and no JavaScript
// needed, personal logins (local accounts with bcrypt hashes), sessions,
// CSRF tokens, roles, and the access log.
//
// What always holds: every page under /arenden needs a live session;
// every POST carries the session's CSRF token or is refused with 403
// before it does anything. A role sees only what it may (an "enhet" user
// only the cases of its units; only kontaktcenter and enhet read
// originals); a refusal answers 403 and is written to the access log.
// Every action runs as the logged-in person (the actor of its events);
// every case view, original read, action, login and refusal is in the
// access log, and an original read is also an event in the case's own
// log. The public diary (/diarium, /diarium.json) needs no login and
// shows only metadata: number, date, category, committee, unit, status
// and the PII-free description, never a sensitive case's description,
// never the text, never a contact. Login failures say the same whether
// the user exists or not; after Options.MaxFailures failures in a row the
// account is locked for Options.Lockout.
//
// How it fails: a handler that cannot read or write the store answers 500
// with a Swedish apology and logs the wrapped error; it never shows the
// error text (which may hold message-derived strings) to the browser.
package web
