// Package mailbox owns the IMAP intake: one connection to the citizen
// mailbox, which it watches with IDLE (RFC 2177) or, when the server lacks
// IDLE, by polling with NOOP. Messages are fetched whole in batches and
// handed to a Handler one at a time in UID order — except one whose
// RFC822.SIZE exceeds Config.MaxMessageSize: only its header is fetched
// (Delivery.HeaderOnly), so its body never enters memory. Then the batch
// is moved by the Handler's verdicts, one command per destination: to the
// registered folder ("Registrerade"), to quarantine ("Karantän"), or left
// where it is to be tried again.
//
// What always holds:
//   - A message is moved only after the Handler has returned Registered or
//     Quarantined without error, i.e. after its case is committed. It is
//     fetched with BODY.PEEK[], so \Seen is never set before that. Each
//     batch's move is issued once the batch is committed (while later
//     batches, fetched ahead, are registered), also when ctx is cancelled
//     mid-batch, and a pass ends only when its moves are over, so nothing
//     committed waits in the inbox while the intake idles or after it
//     logs out.
//   - The checkpoint (UIDVALIDITY, last UID) only advances past a contiguous
//     run of messages that were handled and moved. A message the Handler
//     keeps or fails on, or whose move the server refuses, holds the
//     checkpoint back and is retried with exponential backoff, while later
//     messages are still handled and moved.
//   - When UIDVALIDITY changes the intake starts over from UID 0; the Handler
//     is idempotent and recognises what it already registered, so mail is
//     never lost, only offered again.
//   - Message bodies and passwords are never logged.
//
// How it fails: Run only returns when its context is cancelled (then nil) or
// the Config is invalid. Connection, login and server errors end the current
// session; Run reconnects with exponential backoff and jitter. A server NO on
// a batched MOVE/COPY is followed by moving those messages one by one; a NO
// on a single message leaves it in place to be retried.
package mailbox
