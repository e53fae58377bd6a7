package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/daemon"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/mailbox"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/notify/smssend"
	"github.com/exempelby/synpunkt/notify/smtpsend"
)

// connectTimeout bounds each server check of check-config --connect.
const connectTimeout = 30 * time.Second

// probe is the outcome of one server check, in words an administrator can
// act on.
type probe struct {
	Service string // IMAP, SMTP, SMS
	OK      bool
	Msg     string
}

// checkConnections logs in to every configured server without changing
// or sending anything.
func checkConnections(ctx context.Context, cfg *config.Config) []probe {
	ps := []probe{checkIMAP(ctx, cfg), checkSMTP(ctx, cfg)}
	if cfg.SMS != nil {
		ps = append(ps, checkSMS(ctx, cfg))
	}
	return ps
}

// printProbes prints one line per check and returns an error naming the
// services that failed.
func printProbes(w io.Writer, ps []probe) error {
	var failed []string
	for _, p := range ps {
		verdict := "ok"
		if !p.OK {
			verdict = "FAIL"
			failed = append(failed, p.Service)
		}
		fmt.Fprintf(w, "%-4s  %-4s  %s\n", p.Service, verdict, report.Text(p.Msg))
	}
	if len(failed) > 0 {
		return fmt.Errorf("connection check failed: %s", strings.Join(failed, ", "))
	}
	return nil
}

func checkIMAP(ctx context.Context, cfg *config.Config) probe {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	m := cfg.IMAP
	mc := daemon.IntakeConfig(cfg)
	if src, err := daemon.OAuthSource(cfg, "imap", slog.New(slog.DiscardHandler), nil, nil); err != nil {
		return probe{"IMAP", false, err.Error()}
	} else if src != nil {
		mc.Auth = src
	}
	res, err := mailbox.Check(ctx, mc)
	if err == nil {
		msg := fmt.Sprintf("logged in to %s as %s; mailbox %q exists", m.Address, orNone(m.Username), m.Mailbox)
		if len(res.Create) > 0 {
			msg += fmt.Sprintf("; %s will be created on the first run", strings.Join(quoteAll(res.Create), " and "))
		}
		return probe{"IMAP", true, msg}
	}
	var ce *mailbox.CheckError
	errors.As(err, &ce)
	switch {
	case ce != nil && ce.Step == mailbox.CheckLogin && errors.Is(err, mailbox.ErrNoAuth):
		return probe{"IMAP", false, fmt.Sprintf("%s allows no password login (LOGINDISABLED without AUTH=PLAIN): check imap.tls; the server may want OAuth2 (%v)", m.Address, err)}
	case ce != nil && ce.Step == mailbox.CheckLogin:
		return probe{"IMAP", false, fmt.Sprintf("IMAP login refused for %s: wrong password or basic auth disabled (Microsoft 365 needs OAuth2) (%v)", m.Username, ce.Err)}
	case ce != nil && ce.Step == mailbox.CheckMailbox:
		return probe{"IMAP", false, fmt.Sprintf("logged in as %s, but %v: check imap.mailbox", orNone(m.Username), ce.Err)}
	case isCertError(err):
		return probe{"IMAP", false, certAdvice("imap", m.Address, err)}
	}
	return probe{"IMAP", false, connectAdvice("imap", m.Address, m.TLS, "implicit for port 993, starttls for 143", err)}
}

func checkSMTP(ctx context.Context, cfg *config.Config) probe {
	s := cfg.SMTP
	sc := smtpsend.Config{Address: s.Address, TLS: s.TLS, Username: s.Username, Password: s.Password,
		InsecureSkipVerify: s.InsecureSkipVerify, RootCAs: s.RootCAs, Timeout: connectTimeout}
	if src, err := daemon.OAuthSource(cfg, "smtp", slog.New(slog.DiscardHandler), nil, nil); err != nil {
		return probe{"SMTP", false, err.Error()}
	} else if src != nil {
		sc.Auth = src
	}
	sender := smtpsend.New(sc)
	err := sender.Check(ctx)
	if err == nil {
		if s.Username == "" {
			return probe{"SMTP", true, fmt.Sprintf("connected to %s (tls = %s); no AUTH since smtp.username is empty", s.Address, s.TLS)}
		}
		return probe{"SMTP", true, fmt.Sprintf("logged in to %s as %s (tls = %s)", s.Address, s.Username, s.TLS)}
	}
	var ce *smtpsend.CheckError
	errors.As(err, &ce)
	var ne *notify.Error
	errors.As(err, &ne)
	switch {
	case ce != nil && ce.Step == smtpsend.CheckStartTLS:
		return probe{"SMTP", false, fmt.Sprintf("%s does not offer STARTTLS: use smtp.tls = \"implicit\" for port 465, or check smtp.address (submission with STARTTLS is port 587)", s.Address)}
	case ce != nil && ce.Step == smtpsend.CheckAuth && ne != nil && ne.Code == 535:
		return probe{"SMTP", false, fmt.Sprintf("SMTP AUTH refused for %s: wrong password, or SMTP AUTH disabled for the mailbox (Microsoft 365: turn on Authenticated SMTP for it) (%v)", s.Username, ce.Err)}
	case ce != nil && ce.Step == smtpsend.CheckAuth:
		return probe{"SMTP", false, fmt.Sprintf("SMTP AUTH failed for %s at %s: %v", s.Username, s.Address, ce.Err)}
	case isCertError(err):
		return probe{"SMTP", false, certAdvice("smtp", s.Address, err)}
	}
	return probe{"SMTP", false, connectAdvice("smtp", s.Address, s.TLS, "starttls for port 587, implicit for 465", err)}
}

func checkSMS(ctx context.Context, cfg *config.Config) probe {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	s := cfg.SMS
	base := s.BaseURL
	if base == "" {
		base = "https://api.twilio.com"
	}
	sender, err := smssend.New(smssend.Config{AccountSID: s.AccountSID, AuthToken: s.AuthToken, From: s.From, BaseURL: s.BaseURL})
	if err != nil {
		return probe{"SMS", false, err.Error()}
	}
	status, err := sender.CheckAccount(ctx)
	var ne *notify.Error
	errors.As(err, &ne)
	switch {
	case err == nil && status == "active":
		return probe{"SMS", true, fmt.Sprintf("Twilio account %s at %s is active", s.AccountSID, base)}
	case err == nil:
		return probe{"SMS", false, fmt.Sprintf("Twilio account %s is %s, not active: no SMS can be sent", s.AccountSID, status)}
	case ne != nil && (ne.Code == 20003 || ne.Code == 401):
		return probe{"SMS", false, fmt.Sprintf("Twilio refused account %s with this auth token: check sms.account_sid and the token that sms.auth_token_env/auth_token_file gives", s.AccountSID)}
	case ne != nil && (ne.Code == 20404 || ne.Code == 404):
		return probe{"SMS", false, fmt.Sprintf("Twilio has no account %s at %s: check sms.account_sid and sms.base_url", s.AccountSID, base)}
	case ne != nil && ne.Code == 0:
		return probe{"SMS", false, fmt.Sprintf("cannot reach Twilio at %s: check sms.base_url and that outbound HTTPS is allowed (%v)", base, err)}
	}
	return probe{"SMS", false, fmt.Sprintf("Twilio account check failed: %v", err)}
}

// connectAdvice words a failure to reach a server.
func connectAdvice(section, addr, mode, hint string, err error) string {
	return fmt.Sprintf("cannot connect to %s with tls = %q (%v): check %s.address and %s.tls (%s) and that the firewall lets synpunkt out",
		addr, mode, err, section, section, hint)
}

// certAdvice words a server certificate that does not verify.
func certAdvice(section, addr string, err error) string {
	return fmt.Sprintf("the certificate of %s is not trusted (%v): if an internal CA signed it, set %s.tls_ca_file to that CA's PEM file",
		addr, err, section)
}

// isCertError reports whether err is a failure to verify a server's
// certificate.
func isCertError(err error) bool {
	var (
		ve *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
	)
	return errors.As(err, &ve) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

func orNone(user string) string {
	if user == "" {
		return "(no login)"
	}
	return user
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
