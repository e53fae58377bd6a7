package casework

import (
	"context"
	"errors"
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
// notifications or deadlines. It stops at the first error Handle returns;
// what was handled before it is registered.
//
// Messages are registered in groups of up to importBatch messages or
// importBatchBytes bytes, each group in one store transaction (group
// commit, see Batch): one commit per group instead of one per message.
// A message that fails is undone alone; the summary counts a group only
// once it is committed.
func (p *Intake) Import(ctx context.Context, paths []string, noNotify bool) (ImportSummary, error) {
	var sum ImportSummary
	var group []mailfiles.Source
	var groupBytes int
	var stop error // why the walk was stopped: a message's error, named
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		var part ImportSummary
		var herr error
		err := p.Batch(ctx, func(bctx context.Context) error {
			for _, src := range group {
				res, err := p.Handle(bctx, Source{Name: src.Name, Backlog: true, NoNotify: noNotify}, src.Raw)
				if err != nil {
					herr = fmt.Errorf("%s: %w", src.Name, err)
					return nil // commit what was handled before it
				}
				part.count(res)
			}
			return nil
		})
		group, groupBytes = group[:0], 0
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		sum.add(part)
		return herr
	}
	err := mailfiles.Walk(paths, func(src mailfiles.Source) error {
		group = append(group, src)
		groupBytes += len(src.Raw)
		if len(group) < importBatch && groupBytes < importBatchBytes {
			return nil
		}
		if stop = flush(); stop != nil {
			return errStopImport
		}
		return nil
	})
	if errors.Is(err, errStopImport) {
		return sum, stop
	}
	if err != nil {
		return sum, err
	}
	return sum, flush()
}

// Group commit of Import: messages and bytes per transaction.
const (
	importBatch      = 100
	importBatchBytes = 8 << 20
)

// errStopImport ends the walk of Import when a group failed; the group's
// own error is returned instead.
var errStopImport = errors.New("import stopped")

// add adds another summary's counts.
func (sum *ImportSummary) add(o ImportSummary) {
	sum.Registered += o.Registered
	sum.Duplicates += o.Duplicates
	sum.Quarantined += o.Quarantined
	sum.Bounces += o.Bounces
	sum.AutoReplies += o.AutoReplies
	sum.Reports += o.Reports
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
