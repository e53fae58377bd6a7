package daemon

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// alertFailed returns the outbox's OnFailed: a forward that failed for good
// is shown on its case (a forward_not_delivered event) and the contact
// center (deadlines.digest_to, else the default unit's manager) is told by
// mail, so that no case sits unseen while the citizen's receipt says it was
// passed on. Other kinds are only recorded by the outbox itself.
func alertFailed(cfg *config.Config, st *store.Store, composer *notify.Composer, log *slog.Logger) func(context.Context, store.OutboxRow, string) {
	return func(ctx context.Context, o store.OutboxRow, summary string) {
		if o.Kind != synpunkt.KindForward {
			return
		}
		if err := enqueueAlert(ctx, cfg, st, composer, o, summary); err != nil {
			log.Error("could not alert the contact center of an undelivered forward", "outbox_id", o.ID, "case_id", o.CaseID, "err", err)
		}
	}
}

func enqueueAlert(ctx context.Context, cfg *config.Config, st *store.Store, composer *notify.Composer, o store.OutboxRow, summary string) error {
	to := cfg.Deadlines.DigestTo
	if to == "" {
		to = cfg.Units.Default().Manager
	}
	body := fmt.Sprintf("Ärende %s kunde inte vidarebefordras till den ansvariga enheten: e-postservern tog inte emot meddelandet.\n\n"+
		"Ärendet har alltså inte nått handläggaren, men synpunktslämnaren har fått ett kvitto. "+
		"Se till att ärendet kommer fram, till exempel genom att rätta mottagaren och skicka igen med\n\n"+
		"  synpunkt resend --config <fil> %s\n\nTeknisk orsak: %s (utskick %d).\n", o.CaseNumber, o.CaseNumber, summary, o.ID)
	var ci *notify.CaseInfo
	if o.CaseNumber != "" {
		ci = &notify.CaseInfo{Number: o.CaseNumber}
	}
	n, err := composer.Notice(to, "Ej levererad: vidarebefordran av synpunkt", body, ci)
	if err != nil {
		return err
	}
	ev := store.Event{Actor: "outbox", Kind: "forward_not_delivered", Detail: fmt.Sprintf("outbox %d; kontaktcenter underrättat", o.ID)}
	return st.Enqueue(ctx, o.CaseID, []store.Event{ev}, []synpunkt.Notification{*n})
}
