// Package oauth owns OAuth2 access tokens for logging in to IMAP and SMTP
// servers that have switched basic authentication off (Microsoft 365 /
// Entra ID, Google Workspace, or any provider by token URL), and the SASL
// mechanisms that present them: XOAUTH2 and OAUTHBEARER (RFC 7628).
//
// What always holds: a Source fetches a token with the client-credentials
// flow (microsoft, generic) or a service account's JWT bearer grant with
// domain-wide delegation (google, RFC 7523), keeps it, and refreshes it
// Options.Early before it expires, so a login never presents a token about
// to lapse. A client-credentials client proves itself by a secret or by a
// certificate: then each token request carries a fresh client assertion
// (RFC 7523 §2.2, Entra ID's "certificate credentials"), an RS256 JWT for
// that token endpoint, valid AssertionTTL on the Source's clock. Tokens,
// client secrets, private keys and assertions are never logged; log lines
// name only the provider, the token endpoint's host and the error.
//
// How it fails: a refresh that fails is retried with exponential backoff
// (Options.MinBackoff to MaxBackoff). The first failure of a streak is
// logged at ERROR and reported once to Options.OnFailure (the daemon mails
// the operations address), while the old token may still be valid; Status
// says so for the readiness check. The first success after a streak is
// logged at INFO and reported to Options.OnRecover. A server that refuses a
// token makes the caller call Invalidate, and the next Token fetches a new
// one.
package oauth
