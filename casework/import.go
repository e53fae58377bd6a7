package casework

import (
	"context"
	"fmt"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/mailbox/mailfiles"
)

// ImportSummary counts what Import did with each message.
type ImportSummary struct {
	Registered  int `json:"registered"`
	Duplicates  int `json:"duplicates"`
	Quarantined int `json:"quarantined"`
	// Machine-made mail, which opens no case: delivery reports, automatic
	// replies, and feedback reports or read receipts.
	Bounces     int `json:"bounces"`
	AutoReplies int `json:"auto_replies"`
	Reports     int `json:"reports"`
}

// Import registers every message in the mail files under paths (mbox,
// Maildir, .eml; see mailbox/mailfiles) as backlog, one Handle each, and
// counts the outcomes by their typed fields. noNotify registers without
// notifications or deadlines. It stops at the first error Handle returns.
func (p *Intake) Import(ctx context.Context, paths []string, noNotify bool) (ImportSummary, error) {
	var sum ImportSummary
	err := mailfiles.Walk(paths, func(src mailfiles.Source) error {
		res, err := p.Handle(ctx, Source{Name: src.Name, Backlog: true, NoNotify: noNotify}, src.Raw)
		if err != nil {
			return fmt.Errorf("%s: %w", src.Name, err)
		}
		sum.count(res)
		return nil
	})
	return sum, err
}

// count adds one intake result to the summary.
func (sum *ImportSummary) count(res Result) {
	switch {
	case res.Repeat || res.Outcome == Duplicate:
		sum.Duplicates++
	case res.Outcome == Quarantined:
		sum.Quarantined++
	case res.Auto == synpunkt.AutoDeliveryReport:
		sum.Bounces++
	case res.Auto == synpunkt.AutoReply:
		sum.AutoReplies++
	case res.Auto != synpunkt.AutoNone:
		sum.Reports++
	default:
		sum.Registered++
	}
}
