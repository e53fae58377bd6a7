package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// runCommands obeys the #commands in a staff message on a case thread
// (#avsluta, #återöppna, #vidarebefordra, #anteckning) and acknowledges
// each to the sender by mail. It runs before the message is registered, so
// a crash in between repeats the commands rather than losing them; closing
// a closed case or reopening an open one is then acknowledged as already
// done. Only called for staff mail (see isStaff).
//
// Commands are read from the author's own new text only (msg.OwnText):
// never from an HTML blockquote or an attached message, and lifecycle
// skips quoted lines and signatures. Without organisation.authserv_id a
// From address proves nothing, so commands are then obeyed only in mail
// to the case's signed reply address.
func (p *Intake) runCommands(ctx context.Context, c *synpunkt.Case, msg *synpunkt.Message) error {
	if p.work == nil {
		return nil
	}
	cmds, errs := lifecycle.ParseCommands(msg.OwnText)
	if len(cmds) == 0 && len(errs) == 0 {
		return nil
	}
	if p.opt.AuthservID == "" && !p.signedFor(c, msg) {
		p.log.Warn("commands ignored: organisation.authserv_id is not set and the mail did not go to the case's signed reply address",
			"case", c.Number)
		return nil
	}
	actor := msg.From.Addr
	var lines []string
	for _, cmd := range cmds {
		res, err := p.runCommand(ctx, c.Number, cmd, actor)
		if err != nil && !isUserError(err) {
			return err
		}
		if err != nil {
			res = fmt.Sprintf("#%s kunde inte utföras: %s", cmd.Name, swedishError(err))
		}
		lines = append(lines, res)
	}
	for _, e := range errs {
		lines = append(lines, fmt.Sprintf("Raden %q förstods inte: %s", e.Text, e.Msg))
	}
	ci := notify.CaseInfoFrom(c)
	body := "Svar på dina kommandon i ärende " + c.Number + ":\n\n- " + strings.Join(lines, "\n- ")
	o, err := p.compose.Notice(actor, "Kommandon i ärende "+c.Number, body, &ci)
	if err != nil {
		return fmt.Errorf("%w: command acknowledgement: %v", errRender, err)
	}
	if err := p.st.Enqueue(ctx, c.ID, nil, []synpunkt.Notification{*o}); err != nil {
		return err
	}
	p.committed(1)
	return nil
}

// signedFor reports whether msg went to case c's signed reply address.
func (p *Intake) signedFor(c *synpunkt.Case, msg *synpunkt.Message) bool {
	num, signed, ok := p.threads.FromAddresses(recipients(msg))
	return ok && signed && num == c.Number
}

func (p *Intake) runCommand(ctx context.Context, number string, cmd lifecycle.Command, actor string) (string, error) {
	switch cmd.Name {
	case "avsluta":
		if _, err := p.work.Close(ctx, number, cmd.Arg, actor); err != nil {
			if errors.Is(err, store.ErrState) {
				return "#avsluta: ärendet var redan avslutat.", nil
			}
			return "", err
		}
		return "#avsluta: ärendet är avslutat.", nil
	case "återöppna":
		if _, err := p.work.Reopen(ctx, number, actor); err != nil {
			if errors.Is(err, store.ErrState) {
				return "#återöppna: ärendet var redan öppet.", nil
			}
			return "", err
		}
		return "#återöppna: ärendet är öppnat igen.", nil
	case "vidarebefordra":
		c, err := p.work.Route(ctx, number, cmd.Arg, actor)
		if err != nil {
			return "", err
		}
		return "#vidarebefordra: ärendet har skickats till " + c.Unit + ".", nil
	case lifecycle.CmdPreserve:
		c, err := p.st.CaseByNumber(ctx, number)
		if err != nil {
			return "", err
		}
		reason := cmd.Arg
		if reason == "" {
			reason = "#bevara i e-post"
		}
		if err := p.st.Preserve(ctx, c.ID, actor, "", reason); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return "#bevara: ärendet bevarades redan.", nil
			}
			return "", err
		}
		return "#bevara: ärendet bevaras och levereras till arkivet.", nil
	case "anteckning":
		if err := p.work.Note(ctx, number, cmd.Arg, actor); err != nil {
			return "", err
		}
		return "#anteckning: anteckningen är sparad.", nil
	}
	return "", fmt.Errorf("unknown command %q: %w", cmd.Name, errUnknownCommand)
}

var errUnknownCommand = errors.New("unknown command")

// isUserError reports whether err is the sender's mistake (answered by
// mail) rather than a failure of ours (retried).
func isUserError(err error) bool {
	return errors.Is(err, ErrNoteRequired) || errors.Is(err, ErrUnknownUnit) ||
		errors.Is(err, errUnknownCommand) || errors.Is(err, ErrEmptyNote)
}

func swedishError(err error) string {
	switch {
	case errors.Is(err, ErrNoteRequired):
		return "ett anonymt ärende kan bara avslutas med en åtgärdsanteckning, t.ex. \"#avsluta Lampan är lagad.\""
	case errors.Is(err, ErrUnknownUnit):
		return "det finns ingen enhet med det namnet."
	case errors.Is(err, ErrEmptyNote):
		return "anteckningen är tom."
	}
	return "okänt kommando."
}
