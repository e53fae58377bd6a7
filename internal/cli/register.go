package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/internal/daemon"
)

// cmdRegister registers a synpunkt a clerk took by phone, at a visit, by
// letter or from the e-service, through the same pipeline as mail, and
// sends what it queued (forward, receipt).
func cmdRegister(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("register", stderr)
	channel := fs.String("channel", "", "how it came in: telefon, besök, brev or e-tjänst")
	from := fs.String("from", "", "the citizen's mail address, for the receipt")
	phone := fs.String("phone", "", "the citizen's Swedish mobile number, for an SMS receipt")
	anonymous := fs.Bool("anonymous", false, "the citizen stays anonymous: no receipt")
	subject := fs.String("subject", "", "a subject line")
	text := fs.String("text", "", "the synpunkt as taken down")
	received := fs.String("received", "", "when it was received (RFC 3339 or 2006-01-02T15:04 local); default now")
	if err := parse(fs, args); err != nil {
		return err
	}
	reg, err := registration(*channel, *from, *phone, *anonymous, *subject, *text, *received)
	if err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageError{"register takes no arguments besides its flags"}
	}
	return withDaemon(ctx, *path, stderr, func(d *daemon.Daemon) error {
		res, err := d.Pipeline.Register(ctx, reg)
		if errors.Is(err, casework.ErrInvalidRegistration) {
			return usageError{err.Error()}
		}
		if err != nil {
			return err
		}
		printRegistered(stdout, res, reg.Channel)
		return nil
	})
}

// registration checks the flags that need no config and builds the
// registration; the pipeline checks the rest.
func registration(channel, from, phone string, anonymous bool, subject, text, received string) (casework.Registration, error) {
	ch, ok := synpunkt.ParseChannel(channel)
	if !ok {
		return casework.Registration{}, usageError{fmt.Sprintf("--channel %q: must be one of telefon, besök, brev, e-tjänst", channel)}
	}
	if text == "" || subject == "" {
		return casework.Registration{}, usageError{"register needs --subject and --text"}
	}
	reg := casework.Registration{Channel: ch, Email: from, Phone: phone, Anonymous: anonymous, Subject: subject, Text: text, Clerk: "cli"}
	if received != "" {
		t, err := parseTime(received)
		if err != nil {
			return reg, usageError{"--received: " + err.Error()}
		}
		reg.ReceivedAt = t
	}
	return reg, nil
}

func printRegistered(w io.Writer, res casework.Result, ch synpunkt.Channel) {
	switch res.Outcome {
	case casework.NewCase:
		fmt.Fprintf(w, "%s registrerat (kanal %s)\n", res.Case, ch)
	case casework.Duplicate:
		fmt.Fprintf(w, "redan registrerat: %s\n", res.Case)
	case casework.Excluded:
		fmt.Fprintf(w, "inget ärende: överlämnat (%s)\n", res.Reason)
	default:
		fmt.Fprintf(w, "inget ärende: %s %s\n", res.Outcome, res.Reason)
	}
}
