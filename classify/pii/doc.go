// Package pii finds and removes personal data (personuppgifter) from the text
// that becomes case metadata: the case description, "initiated by" and the
// sender/recipient fields that are mirrored to the public web diary. It owns
// the Swedish-specific detection rules (personnummer and samordningsnummer,
// phone numbers, e-mail, postal addresses, person names, registration plates,
// account numbers, IP addresses), the embedded name and place lists in
// names/, the sensitive-subject flag, the role inference for "initiated by",
// and the labelled corpus and evaluation that measure all of it.
//
// What always holds: Redact replaces every finding with a typed Swedish
// placeholder such as "[personnummer]" and returns the findings with their
// byte spans, confidence and a decision Trace that names the rule, the
// validation result and the context word, never the matched value. Findings
// are sorted, non-overlapping and lie on UTF-8 boundaries of the input.
// Describe only ever builds text from redacted input, is at most 120 runes
// and is never empty. InitiatedBy only ever returns one of the roles in the
// root package. A Redactor is immutable after New and safe for concurrent
// use; the embedded lists are loaded once.
//
// How it fails: it does not return errors. Detection is heuristic, so it
// fails by missing or over-redacting; it is tuned to over-redact, because a
// miss is a data leak while an extra placeholder only costs readability. A
// street name alone ("snöröjningen på Storgatan") is treated as a place, not
// personal data; a street with a house number is an address. A surname alone
// ("Lund", "Berg") is a name only next to a first name or after a name
// context (greeting, sign-off, "min granne", "Jag heter"). The measured
// precision and recall are in CORPUS.md and printed by Evaluate.
package pii
