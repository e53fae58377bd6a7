// Package synpunkt holds the domain types of the synpunkt daemon: a parsed
// citizen message, a case (ärende) with its documents (handlingar), the
// vocabulary of document types, directions, roles and statuses, and the
// outgoing notifications. It imports nothing else of ours, so every other
// package (mailbox, classify, notify, store, pipeline) can share these types
// without import cycles.
//
// What always holds: the Swedish vocabulary values below are the exact strings
// stored in the database and shown to staff; metadata fields (Case.Description,
// Case.InitiatedBy, Document.SenderRole) never carry personal data, only
// roles and redacted text.
//
// How it fails: it does not; these are plain values.
package synpunkt
