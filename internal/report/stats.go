package report

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// Stats prints statistics for the committees (nämnder) over cases received
// in [from, to): per committee and unit the number of cases by category and
// how many are still open, and the messages that opened no case
// (exclusions by class, quarantine, bounces, automatic replies, feedback
// reports and read receipts).
func Stats(ctx context.Context, w io.Writer, st *store.Store, from, to time.Time) error {
	tallies, err := st.CaseTallies(ctx, from, to)
	if err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	type key struct{ committee, unit string }
	counts := map[key]map[string]int{}
	perChannel := map[synpunkt.Channel]int{}
	var order []key
	for _, t := range tallies {
		k := key{t.Committee, t.Unit}
		if counts[k] == nil {
			counts[k] = map[string]int{}
			order = append(order, k)
		}
		counts[k][string(t.Category)] += t.Count
		counts[k]["total"] += t.Count
		if t.Status == synpunkt.StatusOpen {
			counts[k]["open"] += t.Count
		}
		perChannel[t.Channel] += t.Count
	}
	fmt.Fprintf(w, "Synpunkter %s – %s\n\n", from.In(stockholm).Format("2006-01-02"), to.In(stockholm).Add(-time.Second).Format("2006-01-02"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "NÄMND\tENHET\t")
	for _, c := range synpunkt.Categories {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw, "TOTALT\tÖPPNA\t")
	for _, k := range order {
		fmt.Fprintf(tw, "%s\t%s\t", Text(k.committee), Text(k.unit))
		for _, c := range synpunkt.Categories {
			fmt.Fprintf(tw, "%d\t", counts[k][string(c)])
		}
		fmt.Fprintf(tw, "%d\t%d\t\n", counts[k]["total"], counts[k]["open"])
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPer kanal:")
	for _, ch := range synpunkt.Channels {
		fmt.Fprintf(w, "  %-30s %d\n", ch, perChannel[ch])
	}
	return notCases(ctx, w, st, from, to)
}

// notCases prints the messages that opened no case, by outcome and reason.
func notCases(ctx context.Context, w io.Writer, st *store.Store, from, to time.Time) error {
	rows, err := st.DB().QueryContext(ctx, `SELECT outcome, CASE WHEN outcome = 'excluded' THEN reason ELSE '' END, COUNT(*) FROM intake
		WHERE outcome IN ('excluded', 'quarantine', 'bounce', 'auto_reply', 'feedback_report', 'read_receipt') AND received_at >= ? AND received_at < ? GROUP BY 1, 2 ORDER BY 1, 2`,
		from.UTC().Format("2006-01-02T15:04:05.000Z07:00"), to.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	if err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	defer rows.Close()
	fmt.Fprintln(w, "\nInte synpunkter (inget ärende öppnat):")
	names := map[string]string{"excluded": "överlämnat", "quarantine": "karantän", "bounce": "returmeddelande",
		"auto_reply": "automatiskt svar", "feedback_report": "missbruksrapport (ARF)", "read_receipt": "läskvitto"}
	for rows.Next() {
		var outcome, class string
		var n int
		if err := rows.Scan(&outcome, &class, &n); err != nil {
			return fmt.Errorf("statistics: %w", err)
		}
		label := names[outcome]
		if class != "" {
			label += " (" + class + ")"
		}
		fmt.Fprintf(w, "  %-30s %d\n", Text(label), n)
	}
	return rows.Err()
}
