package casework

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

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
// once it is committed. As the IMAP intake does, each group is prepared
// (parsed, keyed, classified; see Prepare) on several goroutines while the
// group before is registered.
func (p *Intake) Import(ctx context.Context, paths []string, noNotify bool) (ImportSummary, error) {
	var sum ImportSummary
	var group []mailfiles.Source
	var groupBytes int
	var ahead *importGroup // the group being prepared while the one before is registered
	var stop error         // why the walk was stopped: a message's error, named
	source := func(src mailfiles.Source) Source {
		return Source{Name: src.Name, Backlog: true, NoNotify: noNotify}
	}
	register := func(g *importGroup) error {
		if g == nil {
			return nil
		}
		<-g.done
		var part ImportSummary
		var herr error
		err := p.Batch(ctx, func(bctx context.Context) error {
			for i, src := range g.srcs {
				res, err := p.HandlePrepared(bctx, source(src), src.Raw, g.pre[i])
				if err != nil {
					herr = fmt.Errorf("%s: %w", src.Name, err)
					return nil // commit what was handled before it
				}
				part.count(res)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		sum.add(part)
		return herr
	}
	// flush starts preparing the group and registers the one before it.
	flush := func() error {
		var g *importGroup
		if len(group) > 0 {
			g = p.prepareGroup(slices.Clone(group), source)
		}
		group, groupBytes = group[:0], 0
		err := register(ahead)
		ahead = g
		return err
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
	switch {
	case err == nil:
		if err = flush(); err == nil { // the last group: prepared, then registered
			err = flush()
		}
	case errors.Is(err, errStopImport):
		err = stop
	default: // the walk failed: the groups filled before it are registered
		if rerr := register(ahead); rerr != nil {
			err = errors.Join(err, rerr)
		}
		ahead = nil
	}
	if ahead != nil {
		<-ahead.done // not registered: the import stopped
	}
	// What was registered is durable before the import reports it.
	if serr := p.Sync(context.WithoutCancel(ctx)); serr != nil {
		err = errors.Join(err, fmt.Errorf("import: %w", serr))
	}
	return sum, err
}

// importGroup is a group of messages of Import being prepared.
type importGroup struct {
	srcs []mailfiles.Source
	pre  []*Prepared // by index in srcs; an entry may be nil (see Prepare)
	done chan struct{}
}

// prepareGroup prepares srcs on up to one goroutine per CPU (at most
// maxPrepareWorkers) in the background.
func (p *Intake) prepareGroup(srcs []mailfiles.Source, source func(mailfiles.Source) Source) *importGroup {
	g := &importGroup{srcs: srcs, pre: make([]*Prepared, len(srcs)), done: make(chan struct{})}
	go func() {
		defer close(g.done)
		var next atomic.Int64 // index of the next message to prepare
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), maxPrepareWorkers, len(srcs)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < len(srcs); i = int(next.Add(1) - 1) {
					g.pre[i] = p.Prepare(source(srcs[i]), srcs[i].Raw)
				}
			}()
		}
		wg.Wait()
	}()
	return g
}

// maxPrepareWorkers caps the goroutines preparing one group of Import.
const maxPrepareWorkers = 4

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
