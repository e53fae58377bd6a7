// Package report owns what synpunkt prints for people: the case table,
// the case sheet and the statistics for a period (Stats: per committee and
// unit the cases by category and how many are open, and the messages that
// opened no case) that the CLI and the demo show.
//
// What always holds: reports show metadata (roles, redacted descriptions),
// never the citizen's contact details or the original text; every string
// from the database goes through Text, so no control character from a
// message reaches the reader's terminal.
//
// How it fails: store errors are returned wrapped; writing errors to the
// output are ignored, as for fmt.Fprintf.
package report

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// Cases prints cases as a readable table.
func Cases(w io.Writer, cases []synpunkt.Case) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ÄRENDE\tSTATUS\tINKOM\tKATEGORI\tENHET\tINITIERAT AV\tDOK\tBESKRIVNING")
	for _, c := range cases {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", Text(c.Number), Text(string(c.Status)), c.ReceivedAt.In(stockholm).Format("2006-01-02 15:04"),
			Text(string(c.Category)), Text(c.Unit), Text(string(c.InitiatedBy)), len(c.Documents), Text(c.Description))
	}
	tw.Flush()
}

var stockholm = workday.Stockholm

// Case prints one case with its documents, events and outbox state.
func Case(ctx context.Context, w io.Writer, st *store.Store, number string) error {
	c, err := st.CaseByNumber(ctx, number)
	if err != nil {
		return fmt.Errorf("case %s: %w", number, err)
	}
	fmt.Fprintf(w, "Ärende %s (%s)\n  Inkom:        %s\n  Kategori:     %s\n  Enhet:        %s (%s)\n  Initierat av: %s\n  Beskrivning:  %s\n",
		Text(c.Number), Text(string(c.Status)), c.ReceivedAt.In(stockholm).Format("2006-01-02 15:04"), Text(string(c.Category)), Text(c.Unit), Text(c.Committee),
		Text(string(c.InitiatedBy)), Text(c.Description))
	fmt.Fprintf(w, "  Kanal:        %s\n", Text(string(c.Channel)))
	if c.Sensitive {
		fmt.Fprintln(w, "  Sekretess:    beskrivningen visas inte publikt; prövning krävs")
	}
	fmt.Fprintln(w, "Handlingar:")
	for i, d := range c.Documents {
		fmt.Fprintf(w, "  %d. %s  %s  %s  %s\n", i+1, d.ReceivedAt.In(stockholm).Format("2006-01-02 15:04"), Text(string(d.Type)), Text(string(d.Direction)), Text(d.SenderRole))
		for _, a := range d.Attachments {
			fmt.Fprintf(w, "       bilaga: %s (%s, %d byte)\n", Text(a.Name), Text(a.ContentType), a.Size)
		}
	}
	out, err := st.OutboxForCase(ctx, c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Utskick:")
	for _, o := range out {
		fmt.Fprintf(w, "  %-10s %-5s %-8s försök %d %s\n", Text(string(o.Kind)), Text(string(o.Channel)), Text(string(o.Status)), o.Attempts, Text(o.LastError))
	}
	events, err := st.Events(ctx, c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Händelser:")
	for _, e := range events {
		fmt.Fprintf(w, "  %s  %-10s %-20s %s\n", e.At.In(stockholm).Format("2006-01-02 15:04:05"), Text(e.Actor), Text(string(e.Kind)), Text(e.Detail))
	}
	return nil
}
