// Package mimeparse turns the raw bytes of one incoming e-mail into a
// synpunkt.Message: decoded headers, the readable body text and the list of
// attachments.
//
// It owns every decision about how MIME is read: which part is the body, how
// charsets are guessed, how malformed headers and multiparts are repaired.
// Nothing else in synpunkt interprets MIME.
//
// What always holds for a returned Message: Raw is the input slice, untouched;
// Subject, Text and every address name are valid UTF-8 with no NUL bytes;
// Text uses "\n" line endings and is at most MaxText bytes; attachment bytes
// are counted, never kept. Hostile input is bounded by MaxParts and MaxDepth.
//
// How it fails: damage that still leaves something usable (a bad header line,
// an unknown charset or transfer encoding, illegal base64, a missing closing
// boundary) is repaired as far as possible and recorded in Message.Problems,
// as short English strings without personal data. Parse returns an error,
// always wrapping ErrUnparseable, only when nothing usable can be had: empty
// input, or no header block and no text. The caller quarantines those.
// Parse does not panic; a panic would be a bug, and is turned into an
// ErrUnparseable error as a last defence.
package mimeparse
