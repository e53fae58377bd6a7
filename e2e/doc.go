// Package e2e owns the end-to-end tests of synpunkt as a whole: the real
// binary or the in-process daemon against a real Dovecot (internal/dovecottest)
// and an in-process SMTP server (internal/smtpsink). It has no code of its
// own besides this comment; everything lives in its test files.
//
//   - TestCrashSIGKILL builds cmd/synpunkt, appends a few hundred messages,
//     SIGKILLs the daemon at random moments (seeded; the seed is logged and
//     can be replayed with SYNPUNKT_CRASH_SEED) while new mail keeps
//     arriving, restarts it each time, lets the last run finish and stops it
//     with SIGTERM.
//   - BenchmarkDovecotIntake measures how many messages per second the daemon
//     registers from Dovecot, and how long its outbox takes to drain.
//
// What always holds, and is asserted: after any number of SIGKILLs every
// appended message is registered exactly once (one intake ledger row, one
// case, its Message-ID on exactly one document), moved to Registrerade, and
// the inbox is empty; every case has exactly one forward row and at most one
// receipt row in the outbox, all sent; every forward reached the SMTP server
// at least once; and the number of repeated deliveries is at most the number
// of kills, since a kill can only repeat the one send in flight between the
// server's 250 and the outbox marking the row sent. A SIGTERM ends the
// daemon with exit status 0.
//
// How it fails: the tests skip visibly when Dovecot is not installed (and
// fail instead with SYNPUNKT_REQUIRE_DOVECOT=1), fail when the binary does
// not build, and fail with the figures and the tail of the daemon's log when
// a guarantee is broken or the daemon does not finish within a bounded time.
// No test waits without a deadline, and every child process is killed in
// t.Cleanup.
package e2e
