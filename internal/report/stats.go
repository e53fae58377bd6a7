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
	rows, err := st.DB().QueryContext(ctx, `SELECT committee, unit, category, status, COUNT(*) FROM cases
		WHERE received_at >= ? AND received_at < ? GROUP BY committee, unit, category, status ORDER BY committee, unit`,
		from.UTC().Format("2006-01-02T15:04:05.000Z07:00"), to.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	if err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	type key struct{ committee, unit string }
	counts := map[key]map[string]int{}
	var order []key
	for rows.Next() {
		var k key
		var cat, status string
		var n int
		if err := rows.Scan(&k.committee, &k.unit, &cat, &status, &n); err != nil {
			rows.Close()
			return fmt.Errorf("statistics: %w", err)
		}
		if counts[k] == nil {
			counts[k] = map[string]int{}
			order = append(order, k)
		}
		counts[k][cat] += n
		counts[k]["total"] += n
		if status == string(synpunkt.StatusOpen) {
			counts[k]["open"] += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("statistics: %w", err)
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
	if err := byChannel(ctx, w, st, from, to); err != nil {
		return err
	}
	return notCases(ctx, w, st, from, to)
}

// byChannel prints how many cases came in by each channel (synpunkt.Channels).
func byChannel(ctx context.Context, w io.Writer, st *store.Store, from, to time.Time) error {
	rows, err := st.DB().QueryContext(ctx, `SELECT channel, COUNT(*) FROM cases WHERE received_at >= ? AND received_at < ? GROUP BY channel`,
		from.UTC().Format("2006-01-02T15:04:05.000Z07:00"), to.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
	if err != nil {
		return fmt.Errorf("statistics per channel: %w", err)
	}
	defer rows.Close()
	counts := map[synpunkt.Channel]int{}
	for rows.Next() {
		var ch synpunkt.Channel
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			return fmt.Errorf("statistics per channel: %w", err)
		}
		counts[ch] += n
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("statistics per channel: %w", err)
	}
	fmt.Fprintln(w, "\nPer kanal:")
	for _, ch := range synpunkt.Channels {
		fmt.Fprintf(w, "  %-30s %d\n", ch, counts[ch])
	}
	return nil
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
