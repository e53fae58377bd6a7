// Package lifecycle owns the rules of a case's life after registration, as
// pure functions of the configuration, the case's state and an injected
// clock: the deadlines for the first response and the final answer, which
// reminders and escalations are due, the commands staff write in their
// mails (#avsluta, #återöppna, #vidarebefordra, #anteckning) and when the
// daily digest is due. It does no I/O and keeps no state; the store persists
// what was done and the daemon sends it.
//
// # What always holds
//
// A *Policy is immutable and safe for concurrent use. All time arithmetic is
// working time on the Policy's workday.Calendar (Europe/Stockholm, Swedish
// public holidays, deadlines.days_off). An instant equal to a deadline is
// past it. Due is idempotent given the store's Done keys: every action has a
// fixed Key per case, so a daemon that was down over several deadlines
// catches up with each missing action exactly once, and never repeats one
// whose key is Done. Only open cases get actions; a first response stops the
// first-response chain. Actions, commands and errors come in a deterministic
// order.
//
// # How it fails
//
// NewPolicy returns a *config.ValidationError naming the offending key for a
// configuration it cannot use (a bad days_off period, an override for an
// unknown unit or category, two overrides for the same unit and category).
// Nothing else returns errors or panics: Due skips an action that has no
// recipient (a unit without escalate_to), DigestDue reports false for a
// malformed clock time, and ParseCommands reports what it cannot understand
// as CommandErrors carrying a Swedish explanation for the reply to the
// sender.
package lifecycle
