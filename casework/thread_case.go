package casework

import (
	"context"
	"fmt"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// findCase returns the case an incoming message answers, or nil. A case is
// found by a signed plus-address, by In-Reply-To/References naming a message
// the daemon sent or registered, or by a case tag in the subject. Only a
// signed address or a reference to our own message proves the sender may
// add to the case; otherwise the sender must be staff or the case's own
// citizen. When the proof is missing, note says which case was named, for
// the new case's event log.
func (p *Intake) findCase(ctx context.Context, msg *synpunkt.Message, staff bool) (c *synpunkt.Case, note string, err error) {
	if num, signed, ok := p.threads.FromAddresses(recipients(msg)); ok {
		c, err := p.byNumber(ctx, num)
		if c != nil && signed {
			return c, "", nil
		}
		if err != nil || c == nil {
			return nil, "", err
		}
		return p.authorize(ctx, c, msg, staff, "plus-address without valid token")
	}
	refs := append(append([]string{}, msg.InReplyTo...), msg.References...)
	if len(refs) > 0 {
		id, ours, err := p.st.CaseByMessageID(ctx, refs)
		if err != nil && !isCaseNotFound(err) {
			return nil, "", err
		}
		if err == nil {
			c, err := p.st.Case(ctx, id)
			if err != nil {
				return nil, "", err
			}
			if ours {
				return &c, "", nil
			}
			return p.authorize(ctx, &c, msg, staff, "references a registered message")
		}
	}
	if num, ok := p.threads.FromSubject(msg.Subject); ok {
		c, err := p.byNumber(ctx, num)
		if err != nil || c == nil {
			return nil, "", err
		}
		return p.authorize(ctx, c, msg, staff, "case number in subject")
	}
	return nil, "", nil
}

func (p *Intake) byNumber(ctx context.Context, num string) (*synpunkt.Case, error) {
	c, err := p.st.CaseByNumber(ctx, num)
	if isCaseNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// authorize accepts an unproven thread link when the sender is staff or the
// case's citizen; otherwise the message opens a new case noting the tag.
func (p *Intake) authorize(ctx context.Context, c *synpunkt.Case, msg *synpunkt.Message, staff bool, how string) (*synpunkt.Case, string, error) {
	if staff {
		return c, "", nil
	}
	contact, ok, err := p.st.Contact(ctx, c.ID)
	if err != nil {
		return nil, "", err
	}
	if ok && contact.Email != "" && lower(contact.Email) == lower(msg.From.Addr) {
		return c, "", nil
	}
	return nil, fmt.Sprintf("names case %s (%s) but the sender is not its citizen or staff", c.Number, how), nil
}

// addToCase registers a reply (Svar, from staff) or a complement
// (Komplettering, from anyone else) in its case; a complement is forwarded
// to the case's handler.
func (p *Intake) addToCase(ctx context.Context, src Source, in store.Intake, msg *synpunkt.Message, c *synpunkt.Case, auto string, staff bool) (Result, error) {
	d := synpunkt.Document{Type: synpunkt.DocKomplettering, Direction: synpunkt.Inkommande, SenderRole: string(c.InitiatedBy),
		ReceivedAt: in.ReceivedAt, MessageID: msg.MessageID, Attachments: msg.Attachments}
	if staff {
		d.Type, d.Direction, d.SenderRole = synpunkt.DocSvar, synpunkt.Upprattad, c.Unit
	}
	if staff {
		if err := p.runCommands(ctx, c, msg); err != nil {
			return Result{}, err
		}
	}
	events := []store.Event{{Actor: "intake", Kind: "threaded", Detail: fmt.Sprintf("%s from %s", d.Type, d.SenderRole)}}
	var compose store.Composer
	if !staff && auto == "" && !src.NoNotify {
		compose = func(c synpunkt.Case) ([]synpunkt.Notification, error) {
			if c.Handler == "" {
				return nil, nil
			}
			ci := notify.CaseInfoFrom(&c)
			ci.Category = synpunkt.DocKomplettering
			ci.CitizenText = msg.Text
			o, err := p.forwardRef(ci, c.Handler, in.Raw, src.File, p.threads.ReplyAddress(c.Number))
			if err != nil {
				return nil, fmt.Errorf("%w: forward complement: %v", errRender, err)
			}
			return []synpunkt.Notification{*o}, nil
		}
	}
	if _, err := p.st.AddDocument(ctx, c.ID, in, d, msg.Text, events, compose); err != nil {
		return Result{}, err
	}
	p.committed(1)
	p.log.Info("message added to case", "case", c.Number, "type", d.Type)
	return Result{Outcome: AddedToCase, Case: c.Number}, nil
}
