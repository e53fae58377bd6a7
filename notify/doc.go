// Package notify owns outgoing notifications (synpunkt.Notification, the one
// value that is composed here, stored in the outbox and handed unchanged to
// a Sender): the Sender interface that delivers it, the retry
// classification of delivery errors, and the Composer that renders Swedish
// receipts, forwards, reminders and closing notices from templates.
//
// What always holds: composing and sending are separate. A Composer turns a
// case into a complete, self-contained Notification (for e-mail an RFC 5322
// message with CRLF line endings, for SMS UTF-8 text) at registration time,
// so the outbox can store it in the same transaction as the case. A Sender
// only delivers the bytes it is given; it never renders or rewrites them.
// Every e-mail carries Auto-Submitted (RFC 3834 §5) and
// X-Auto-Response-Suppress so that other robots do not answer it, a fresh
// Message-ID in the organisation's domain, and a Date. Templates are embedded
// defaults that an operator may override file by file; every template set is
// test-rendered when it is loaded, so a broken override fails at start-up,
// not when the first citizen writes.
//
// How it fails: composing returns plain errors (bad address, bad template);
// they are programming or configuration errors and retrying will not help.
// Senders return errors wrapped in *Error, which says whose fault a failure
// is: the channel's (server, network, configuration: IsChannelFault), the
// message's for now (IsTemporary) or for good; the outbox reads it with
// errors.As, and any error without that marker counts as temporary.
// Describe gives the class and code without the server's free text, for
// logs and events. WithoutOriginal rebuilds a forward too large for the
// relay without its attached original.
package notify
