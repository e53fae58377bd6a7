// Package retention owns the document management plan's rules in action:
// which parts of which cases are due for purging (gallring) at a time, the
// automatic preservation (bevarande) of cases, the purge itself and the
// data subject's rights (access and erasure, GDPR art. 15 and 17).
//
// What always holds: a preserved case is never purged or erased, whatever
// the rules say (the archive law wins); a purge removes personal data only
// (originals, contact details, attachments, free-text notes, notification
// bodies) and keeps the case's PII-free metadata and its event rows, adding
// one "purged" event per case naming the parts and the plan's rule; after a
// purge that removed anything the store is compacted (checkpoint, and
// VACUUM when configured) so no removed byte stays in the database files.
// Which parts are due is a pure function of the rules, the case and the
// time (Due), so --at can look ahead.
//
// How it fails: every error is wrapped with the case it concerns; a purge
// purges up to 500 cases per transaction and stops at the first
// failing batch, and what the batches before it purged stays purged (and
// is compacted), so running it again continues.
package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// Due is what a case has due at a time.
type Due struct {
	Case  string   `json:"case"`
	Parts []string `json:"parts"`
	Rules []string `json:"rules"` // the plan references
}

// DueParts returns the parts of rc due for purging at at under the rules,
// minus those already purged; nil for a preserved case. Periods count in
// Stockholm local time.
func DueParts(r config.Retention, rc store.RetentionCase, at time.Time) Due {
	d := Due{Case: rc.Number}
	if rc.Preserved {
		return d
	}
	for _, rule := range r.Rules {
		if !matches(rule.Categories, rule.DocumentTypes, rc) {
			continue
		}
		base := rc.ReceivedAt
		if rule.From == "closed" {
			base = rc.ClosedAt
		}
		if base.IsZero() {
			continue
		}
		p, err := rule.Period(r.InactualAfter)
		if err != nil || p.After(base.In(workday.Stockholm)).After(at) {
			continue
		}
		added := false
		for _, part := range rule.Parts {
			if !rc.Purged[part] && !slices.Contains(d.Parts, part) {
				d.Parts, added = append(d.Parts, part), true
			}
		}
		if added && !slices.Contains(d.Rules, rule.Ref) {
			d.Rules = append(d.Rules, rule.Ref)
		}
	}
	sort.Slice(d.Parts, func(i, j int) bool {
		return slices.Index(store.Parts, d.Parts[i]) < slices.Index(store.Parts, d.Parts[j])
	})
	return d
}

func matches(categories, docTypes []string, rc store.RetentionCase) bool {
	if len(categories) > 0 && !slices.Contains(categories, string(rc.Category)) {
		return false
	}
	if len(docTypes) == 0 {
		return true
	}
	for _, t := range rc.DocTypes {
		if slices.Contains(docTypes, string(t)) {
			return true
		}
	}
	return false
}

// PreserveRule returns the reference of the first preserve rule rc meets,
// "" when none (or when it is already preserved).
func PreserveRule(r config.Retention, rc store.RetentionCase) string {
	if rc.Preserved {
		return ""
	}
	for _, p := range r.Preserve {
		if len(p.DocumentTypes) == 0 && len(p.Categories) == 0 {
			continue
		}
		if matches(p.Categories, p.DocumentTypes, rc) {
			return p.Ref
		}
	}
	return ""
}

// Purger runs purges against a store.
type Purger struct {
	st  *store.Store
	cfg config.Retention
	now func() time.Time
	log *slog.Logger
}

// New returns a Purger; now nil means time.Now.
func New(st *store.Store, cfg config.Retention, now func() time.Time, log *slog.Logger) *Purger {
	if now == nil {
		now = time.Now
	}
	if cfg.Rules == nil {
		cfg.Rules = config.DefaultRetentionRules()
	}
	if cfg.Preserve == nil {
		cfg.Preserve = config.DefaultPreserveRules()
	}
	if cfg.InactualAfter == (config.Period{}) {
		cfg.InactualAfter = config.DefaultRetention().InactualAfter
	}
	return &Purger{st: st, cfg: cfg, now: now, log: log.With("component", "retention")}
}

// Report is what one purge did (or, dry, would do).
type Report struct {
	At        time.Time         `json:"at"`
	DryRun    bool              `json:"dry_run"`
	Preserved []PreservedCase   `json:"preserved"` // preserved by a rule in this run
	Purged    []PurgedCase      `json:"purged"`
	Kept      int               `json:"kept_preserved"` // preserved cases left alone
	Compacted bool              `json:"compacted"`
	Removed   store.PurgeResult `json:"removed"` // totals
	ByRule    map[string]int    `json:"cases_by_rule"`
	Elapsed   time.Duration     `json:"-"`
}

// PreservedCase is a case a rule preserved.
type PreservedCase struct {
	Case string `json:"case"`
	Rule string `json:"rule"`
}

// PurgedCase is one case's purge.
type PurgedCase struct {
	Due
	Removed *store.PurgeResult `json:"removed,omitempty"`
}

// Run preserves what the preserve rules say and purges what is due at at.
// dry computes the same and writes nothing.
func (p *Purger) Run(ctx context.Context, at time.Time, dry bool) (Report, error) {
	start := time.Now()
	rep := Report{At: at, DryRun: dry, ByRule: map[string]int{}, Preserved: []PreservedCase{}, Purged: []PurgedCase{}}
	cases, err := p.st.RetentionCases(ctx)
	if err != nil {
		return rep, fmt.Errorf("purge: %w", err)
	}
	var reqs []store.PurgeRequest
	var due []Due
	for _, rc := range cases {
		if ref := PreserveRule(p.cfg, rc); ref != "" {
			if !dry {
				if err := p.st.Preserve(ctx, rc.ID, "synpunkt", ref, ""); err != nil && !errors.Is(err, store.ErrDuplicate) {
					return rep, fmt.Errorf("purge: preserve %s: %w", rc.Number, err)
				}
			}
			rc.Preserved = true
			rep.Preserved = append(rep.Preserved, PreservedCase{Case: rc.Number, Rule: ref})
		}
		if rc.Preserved {
			rep.Kept++
			continue
		}
		d := DueParts(p.cfg, rc, at)
		if len(d.Parts) == 0 {
			continue
		}
		reqs = append(reqs, store.PurgeRequest{CaseID: rc.ID, Parts: d.Parts, Rule: strings.Join(d.Rules, ",")})
		due = append(due, d)
	}
	if !dry && len(reqs) > 0 {
		out, err := p.st.PurgeCases(ctx, reqs, "synpunkt")
		for i, o := range out {
			if o.Preserved { // preserved by a person since the listing
				rep.Kept++
				continue
			}
			r := o.PurgeResult
			addResult(&rep.Removed, r)
			for _, ref := range due[i].Rules {
				rep.ByRule[ref]++
			}
			rep.Purged = append(rep.Purged, PurgedCase{Due: due[i], Removed: &r})
		}
		if err != nil {
			// What the committed batches purged stays purged; compact it.
			if _, cerr := p.st.Compact(ctx, false); cerr != nil {
				p.log.Error("purge: compact after a failed purge", "err", cerr)
			}
			return rep, fmt.Errorf("purge: %w", err)
		}
	} else {
		for _, d := range due {
			for _, ref := range d.Rules {
				rep.ByRule[ref]++
			}
			rep.Purged = append(rep.Purged, PurgedCase{Due: d})
		}
	}
	if !dry && len(rep.Purged) > 0 {
		busy, err := p.st.Compact(ctx, p.cfg.Vacuum)
		if err != nil {
			return rep, fmt.Errorf("purge: %w", err)
		}
		rep.Compacted = !busy
		if busy {
			p.log.Warn("purge: the checkpoint could not finish while a reader held old pages; the next purge finishes it")
		}
	}
	rep.Elapsed = time.Since(start)
	if !dry {
		p.log.Info("purge done", "cases", len(rep.Purged), "preserved", len(rep.Preserved), "originals", rep.Removed.Originals,
			"contacts", rep.Removed.Contacts, "notes", rep.Removed.Notes, "outbox", rep.Removed.Outbox, "compacted", rep.Compacted)
	}
	return rep, nil
}

func addResult(t *store.PurgeResult, r store.PurgeResult) {
	t.Originals += r.Originals
	t.Documents += r.Documents
	t.Contacts += r.Contacts
	t.Notes += r.Notes
	t.Outbox += r.Outbox
}

// RunDaily purges once a day at hhmm local (Stockholm) time until ctx
// ends. Errors are logged and the next day tries again: what was purged
// stays purged.
func (p *Purger) RunDaily(ctx context.Context, hhmm string) {
	for {
		next := nextAt(p.now(), hhmm)
		t := time.NewTimer(next.Sub(p.now()))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if _, err := p.Run(ctx, p.now(), false); err != nil && ctx.Err() == nil {
			p.log.Error("daily purge failed; it runs again tomorrow", "err", err)
		}
	}
}

// nextAt is the next hh:mm in Stockholm after now.
func nextAt(now time.Time, hhmm string) time.Time {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	l := now.In(workday.Stockholm)
	t := time.Date(l.Year(), l.Month(), l.Day(), h, m, 0, 0, workday.Stockholm)
	if !t.After(now) {
		t = time.Date(l.Year(), l.Month(), l.Day()+1, h, m, 0, 0, workday.Stockholm)
	}
	return t
}

// Preserve marks a case by number to be preserved, by a person.
func (p *Purger) Preserve(ctx context.Context, number, actor, reason string) (synpunkt.Case, error) {
	c, err := p.st.CaseByNumber(ctx, number)
	if err != nil {
		return c, fmt.Errorf("preserve %s: %w", number, err)
	}
	if err := p.st.Preserve(ctx, c.ID, actor, "", reason); err != nil {
		return c, fmt.Errorf("preserve %s: %w", c.Number, err)
	}
	p.log.Info("case preserved", "case", c.Number)
	return c, nil
}
