// Package synpunkt holds the domain types of the synpunkt daemon: a parsed
// citizen message, a case (ärende) with its documents (handlingar), the
// vocabulary of document types, directions, roles and statuses, the
// outgoing Notification (composed by notify, stored by store, sent by
// notify/outbox), and the routing table's Unit and the organisation's
// Domains. It imports nothing else of ours, so every other package
// (mailbox, classify, casework, notify, store) can share these types
// without import cycles.
//
// What always holds: the Swedish vocabulary values below are the exact strings
// stored in the database and shown to staff; metadata fields (Case.Description,
// Case.InitiatedBy, Document.SenderRole) never carry personal data, only
// roles and redacted text.
//
// How it fails: it does not; these are plain values.
package synpunkt
