package mailbox

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/emersion/go-imap/v2/imapclient"
)

// CheckStep names the step of Check that failed.
type CheckStep string

// Steps of Check.
const (
	CheckConnect CheckStep = "connect" // TCP, TLS and the greeting
	CheckLogin   CheckStep = "login"   // AUTHENTICATE PLAIN or LOGIN
	CheckMailbox CheckStep = "mailbox" // the watched mailbox is missing
)

// CheckError is the error of Check: the step that failed and why.
type CheckError struct {
	Step CheckStep
	Err  error
}

func (e *CheckError) Error() string { return "imap " + string(e.Step) + ": " + e.Err.Error() }

func (e *CheckError) Unwrap() error { return e.Err }

// CheckResult is what Check found on a server it could log in to.
type CheckResult struct {
	// Create lists the registered and quarantine mailboxes that do not
	// exist yet; Run creates them.
	Create []string
}

// Check connects and logs in as Run does, and checks that the watched
// mailbox exists, without changing anything on the server. Its error is a
// *CheckError.
func Check(ctx context.Context, cfg Config) (CheckResult, error) {
	in := New(cfg, nil, nil, slog.New(slog.DiscardHandler))
	if err := in.cfg.Validate(); err != nil {
		return CheckResult{}, &CheckError{Step: CheckConnect, Err: err}
	}
	c, err := in.dial(ctx, &imapclient.Options{})
	if err != nil {
		return CheckResult{}, &CheckError{Step: CheckConnect, Err: err}
	}
	defer c.Close()
	if err := in.login(ctx, c); err != nil {
		return CheckResult{}, &CheckError{Step: CheckLogin, Err: err}
	}
	defer func() { c.Logout().Wait() }() //nolint:errcheck // the check is done
	list, err := c.List("", "*", nil).Collect()
	if err != nil {
		return CheckResult{}, &CheckError{Step: CheckMailbox, Err: fmt.Errorf("list mailboxes: %w", err)}
	}
	have := make([]string, 0, len(list))
	for _, l := range list {
		have = append(have, l.Mailbox)
	}
	if !hasMailbox(have, in.cfg.Mailbox) {
		return CheckResult{}, &CheckError{Step: CheckMailbox, Err: fmt.Errorf("mailbox %q does not exist", in.cfg.Mailbox)}
	}
	var res CheckResult
	for _, name := range []string{in.cfg.RegisteredMailbox, in.cfg.QuarantineMailbox} {
		if !hasMailbox(have, name) {
			res.Create = append(res.Create, name)
		}
	}
	return res, nil
}

// hasMailbox reports whether name is in have; INBOX in any case
// (RFC 9051 §5.1).
func hasMailbox(have []string, name string) bool {
	if strings.EqualFold(name, "INBOX") {
		return slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, "INBOX") })
	}
	return slices.Contains(have, name)
}
