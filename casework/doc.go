// Package casework owns everything that happens to a case, from the
// message that opens it to the day it is closed:
//
//   - intake of one message (Intake.Handle, top-down in intake.go): parse
//     it, recognise a duplicate and machine-made mail, decide once whether
//     it is staff mail, thread a reply into its case (signed reply
//     plus-addresses, references, case tags), obey staff #commands, route
//     it out when it is not a synpunkt, or classify it, strip personal data
//     from its metadata and register the case with the forward to the
//     manager and the receipt to the citizen; a clerk's registration
//     (Register, #registrera) takes the same path;
//   - what staff and the clock do to a registered case (Service): close it
//     (telling the citizen), reopen it, add a note, move it to another unit,
//     forward a case registered without a forward (starting its clocks),
//     reminders and escalations when deadlines pass, and the daily digest.
//     The CLI, staff mail commands and the daemon's scheduler all go
//     through it, so each operation has one implementation. The routine's
//     pure rules (deadlines, due actions, command syntax) are the
//     subpackage lifecycle.
//
// What always holds: every message handed to Handle ends as exactly one
// ledger row in the store (a case, a document in a case, an excluded,
// automatic or bounce record, or a quarantine record with its reason), or
// Handle returns an error and nothing was written, so the caller keeps the
// message and tries again; handling the same message twice registers it
// once. Every operation is one store transaction holding the state change,
// its events and the notifications it causes, so a crash never leaves a
// closed case without its closing notice queued, and a reminder is never
// queued twice. Metadata (description, roles) is built from redacted text
// only. No receipt goes to an automated sender, an anonymous writer, an
// address of the organisation itself, anyone but the author, or past the
// per-sender daily cap. A reply token is an HMAC of the case number under
// the organisation's secret key, so only synpunkt can make a valid one. An
// anonymous case is closed only with an action note.
//
// How it fails: a message that cannot be parsed, is too large, or whose
// notifications cannot be rendered is quarantined with a reason, and Handle
// succeeds; only store errors (disk, database) are returned. Case
// operations wrap store.ErrNotFound for a case that does not exist,
// store.ErrState for one in the wrong state, ErrNoteRequired,
// ErrUnknownUnit and ErrClocksRunning; their errors carry the case number.
package casework
