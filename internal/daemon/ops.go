package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/exempelby/synpunkt"

	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/health"
	"github.com/exempelby/synpunkt/internal/oauth"
	"github.com/exempelby/synpunkt/internal/sdnotify"
	"github.com/exempelby/synpunkt/mailbox"
	"github.com/exempelby/synpunkt/notify/smtpsend"
	"github.com/exempelby/synpunkt/store"
)

// OAuthSource builds the token source of [imap.oauth2] or [smtp.oauth2]
// (section "imap" or "smtp"); nil when that section is absent. onFail,
// which may be nil, hears of the first failure of each streak.
func OAuthSource(cfg *config.Config, section string, log *slog.Logger, now func() time.Time, onFail func(error)) (*oauth.Source, error) {
	o, user := cfg.IMAP.OAuth2, cfg.IMAP.Username
	if section == "smtp" {
		o, user = cfg.SMTP.OAuth2, cfg.SMTP.Username
	}
	if o == nil {
		return nil, nil
	}
	src, err := oauth.New(section, oauth.Config{
		Provider: o.Provider, ClientID: o.ClientID, ClientSecret: o.ClientSecret, Tenant: o.Tenant,
		ServiceAccountJSON: o.ServiceAccountJSON, Subject: o.Subject, TokenURL: o.TokenURL, Scopes: o.Scopes,
		Mechanism: o.Mechanism, Username: user, ClientCertificatePEM: o.ClientCertificatePEM,
	}, oauth.Options{Now: now, OnFailure: onFail}, log)
	if err != nil {
		return nil, fmt.Errorf("%s.oauth2: %w", section, err)
	}
	return src, nil
}

// buildTokens makes the daemon's token sources; a failing refresh is
// mailed once per streak to the operations address.
func (d *Daemon) buildTokens() error {
	var err error
	for _, section := range []string{"imap", "smtp"} {
		var src *oauth.Source
		if src, err = OAuthSource(d.Config, section, d.log, d.now, d.alertToken(section)); err != nil {
			return err
		}
		if src != nil {
			d.Tokens[section] = src
		}
	}
	return nil
}

// alertToken returns the OnFailure of a token source: an alert in Swedish
// to [operations] alert_to, queued in the outbox like any notice. When the
// mail itself needs the failing token it waits there and goes out once the
// token works; the ERROR log and /readyz have said it already.
func (d *Daemon) alertToken(section string) func(error) {
	return func(err error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		what := map[string]string{"imap": "läsa synpunktsbrevlådan (IMAP)", "smtp": "skicka e-post (SMTP)"}[section]
		reason := err.Error()
		if src := d.Tokens[section]; src != nil {
			reason = src.RedactedError(err)
		}
		body := fmt.Sprintf("synpunkt kan inte förnya sin OAuth2-token för att %s.\n\n"+
			"Den token som används nu slutar gälla inom en timme; därefter läses eller skickas ingen post förrän felet är åtgärdat. "+
			"Kontrollera appregistreringen (klienthemlighet eller certifikat som gått ut, behörigheter) och [%s.oauth2] i konfigurationen.\n\n"+
			"Teknisk orsak: %s\n", what, section, reason)
		n, cerr := d.composer.Notice(d.Config.AlertAddress(), "synpunkt: OAuth2-token kan inte förnyas ("+section+")", body, nil)
		if cerr == nil {
			ev := store.Event{Actor: "oauth2", Kind: "token_refresh_failed", Detail: section}
			cerr = d.Store.Enqueue(ctx, 0, []store.Event{ev}, []synpunkt.Notification{*n})
		}
		if cerr != nil {
			d.log.Error("could not queue the OAuth2 alert", "for", section, "err", cerr)
			return
		}
		d.Outbox.Kick()
	}
}

// imapAuth is the intake's Authenticator: the imap token source, or nil.
func (d *Daemon) imapAuth() mailbox.Authenticator {
	if src := d.Tokens["imap"]; src != nil {
		return src
	}
	return nil
}

// smtpAuth is the mail sender's Authenticator: the smtp token source, or nil.
func smtpAuth(src *oauth.Source) smtpsend.Authenticator {
	if src != nil {
		return src
	}
	return nil
}

// runOps starts what runs beside intake: the token refreshers, the HTTP
// server and the systemd watchdog. It returns a func that waits for them
// after ctx is cancelled.
func (d *Daemon) runOps(ctx context.Context, in *mailbox.Intake) (wait func(), err error) {
	channels := []string{"email"}
	if d.Config.SMS != nil {
		channels = append(channels, "sms")
	}
	d.Health = health.New(health.Sources{Store: d.Store, Tokens: d.Tokens, Paused: d.Outbox.Paused, Channels: channels, Now: d.now,
		Intake: func() (mailbox.State, bool) { return in.State(), true }})
	if d.Web != nil {
		d.Health.Handle("/", d.Web)
	}
	ln := d.httpListener
	if ln == nil && d.Config.HTTP.Listen != "" {
		if ln, err = net.Listen("tcp", d.Config.HTTP.Listen); err != nil {
			return nil, fmt.Errorf("http.listen %s: %w", d.Config.HTTP.Listen, err)
		}
	}
	var wg sync.WaitGroup
	for _, src := range d.Tokens {
		wg.Go(func() { src.Run(ctx) })
	}
	if ln != nil {
		wg.Go(func() {
			if err := health.ServeListener(ctx, ln, d.Health, d.log.With("component", "http")); err != nil {
				d.log.Error("http server stopped", "err", err)
			}
		})
	}
	wg.Go(func() {
		if err := sdnotify.RunWatchdog(ctx, sdnotify.WatchdogInterval(), nil); err != nil {
			d.log.Error("systemd watchdog", "err", err)
		}
	})
	return wg.Wait, nil
}

// notifyReady tells systemd the daemon is up: the store is open and the
// first IMAP session reads the mailbox. Later reconnects send nothing.
func (d *Daemon) notifyReady() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			if err := sdnotify.Notify(sdnotify.Ready); err != nil {
				d.log.Warn("could not tell systemd the daemon is ready", "err", err)
			}
		})
	}
}
