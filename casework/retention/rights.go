package retention

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// Subject identifies a data subject as the clerk typed it.
type Subject struct {
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Personnummer string `json:"personnummer,omitempty"`
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// Query turns a Subject into the store's search: a Swedish phone number is
// looked for as 46…, 0… and as typed; a personnummer with and without its
// century.
func (s Subject) Query() store.SubjectQuery {
	q := store.SubjectQuery{Email: s.Email}
	if d := digits(s.Phone); d != "" {
		q.Phone = append(q.Phone, d)
		switch {
		case strings.HasPrefix(d, "46"):
			q.Phone = append(q.Phone, "0"+d[2:])
		case strings.HasPrefix(d, "0"):
			q.Phone = append(q.Phone, "46"+d[1:])
		}
	}
	if d := digits(s.Personnummer); len(d) == 12 {
		q.Personnummer = []string{d, d[2:]}
	} else if d != "" {
		q.Personnummer = []string{d}
	}
	return q
}

// AccessCase is one case in a subject-access answer.
type AccessCase struct {
	Case      string           `json:"case"`
	Category  synpunkt.DocType `json:"category"`
	Unit      string           `json:"unit"`
	Status    synpunkt.Status  `json:"status"`
	Received  time.Time        `json:"received"`
	Preserved bool             `json:"preserved"`
	Holds     []string         `json:"holds"` // where the data is: contact, original, text, notes, outbox
	Documents []AccessDocument `json:"documents"`
}

// AccessDocument is one document of such a case.
type AccessDocument struct {
	Type      synpunkt.DocType   `json:"type"`
	Direction synpunkt.Direction `json:"direction"`
	Received  time.Time          `json:"received"`
	SHA256    string             `json:"sha256,omitempty"`
}

// Access answers a subject-access request (GDPR art. 15): every case and
// document that holds the subject's data.
func Access(ctx context.Context, st *store.Store, s Subject) ([]AccessCase, error) {
	hits, err := st.SubjectCases(ctx, s.Query())
	if err != nil {
		return nil, fmt.Errorf("subject access: %w", err)
	}
	out := []AccessCase{}
	for _, h := range hits {
		ac := AccessCase{Case: h.Number, Category: h.Category, Unit: h.Unit, Status: h.Status, Received: h.ReceivedAt, Preserved: h.Preserved, Holds: h.Holds}
		for _, d := range h.Documents {
			ac.Documents = append(ac.Documents, AccessDocument{Type: d.Type, Direction: d.Direction, Received: d.ReceivedAt, SHA256: d.RawSHA256})
		}
		out = append(out, ac)
	}
	return out, nil
}

// holdsSv names where data is held, in Swedish.
var holdsSv = map[string]string{
	store.PartContact:  "kontaktuppgifter (e-postadress eller telefonnummer)",
	store.PartOriginal: "det ursprungliga meddelandet",
	"text":             "texten i en handling",
	store.PartNotes:    "en anteckning i ärendet",
	store.PartOutbox:   "ett utskick (kvitto, besked eller vidarebefordran)",
}

// AccessText renders an access answer as Swedish text a clerk can mail.
func AccessText(org string, s Subject, cases []AccessCase, at time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Registerutdrag enligt artikel 15 i dataskyddsförordningen\n%s, %s\n\n", org, at.Format("2006-01-02"))
	var who []string
	for _, v := range []string{s.Email, s.Phone, s.Personnummer} {
		if v != "" {
			who = append(who, v)
		}
	}
	fmt.Fprintf(&b, "Sökt på: %s\n\n", strings.Join(who, ", "))
	if len(cases) == 0 {
		b.WriteString("Vi har inga uppgifter om dig i synpunktshanteringen.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Vi har uppgifter om dig i %d ärende(n) i synpunktshanteringen:\n", len(cases))
	for _, c := range cases {
		fmt.Fprintf(&b, "\nÄrende %s (%s), %s, inkom %s, %s.\n", c.Case, c.Category, c.Unit, c.Received.Format("2006-01-02"), c.Status)
		var hs []string
		for _, h := range c.Holds {
			hs = append(hs, holdsSv[h])
		}
		fmt.Fprintf(&b, "  Uppgifterna finns i: %s.\n", strings.Join(hs, "; "))
		for _, d := range c.Documents {
			fmt.Fprintf(&b, "  Handling: %s, %s, %s\n", d.Type, strings.ToLower(string(d.Direction)), d.Received.Format("2006-01-02"))
		}
		if c.Preserved {
			b.WriteString("  Ärendet ska bevaras enligt kommunens dokumenthanteringsplan och lämnas till arkivet.\n")
		}
	}
	b.WriteString("\nÄndamål: att handlägga och besvara din synpunkt eller fråga. Rättslig grund: allmänt intresse\n" +
		"(myndighetsutövning och service enligt förvaltningslagen). Uppgifterna gallras enligt kommunens\n" +
		"dokumenthanteringsplan. Du kan begära rättelse eller radering och klaga hos Integritetsskyddsmyndigheten.\n")
	return b.String()
}

// ErasureOutcome is what an erasure did to one case and why.
type ErasureOutcome struct {
	Case   string   `json:"case"`
	Erased bool     `json:"erased"`
	Parts  []string `json:"parts,omitempty"`
	Reason string   `json:"reason"` // in Swedish, for the clerk's answer
}

// Reasons an erasure keeps a case.
const (
	reasonPreserved = "behålls: ärendet ska bevaras enligt dokumenthanteringsplanen och är en allmän handling som arkivlagen kräver att kommunen bevarar (art. 17.3 b och d)"
	reasonOpen      = "behålls tills vidare: ärendet handläggs fortfarande (art. 17.3 b); begär radering igen när det är avslutat"
	reasonErased    = "raderat: ärendet är avslutat och får gallras enligt dokumenthanteringsplanen; ärendenummer, kategori, enhet och datum finns kvar utan personuppgifter"
)

// Erase erases the subject's data (GDPR art. 17) where the law allows: in
// closed cases that are not preserved, every personal-data part is purged
// now; a preserved case is kept (the archive law wins) and an open case is
// kept while it is handled. Each outcome says why.
func (p *Purger) Erase(ctx context.Context, s Subject, actor string) ([]ErasureOutcome, error) {
	hits, err := p.st.SubjectCases(ctx, s.Query())
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	out := []ErasureOutcome{}
	erased := false
	for _, h := range hits {
		o := ErasureOutcome{Case: h.Number}
		switch {
		case h.Preserved:
			o.Reason = reasonPreserved
		case h.Status != synpunkt.StatusClosed:
			o.Reason = reasonOpen
		default:
			if _, err := p.st.Purge(ctx, h.ID, store.Parts, "GDPR art. 17", actor); err != nil {
				if errors.Is(err, store.ErrPreserved) {
					o.Reason = reasonPreserved
					break
				}
				return out, fmt.Errorf("erase %s: %w", h.Number, err)
			}
			o.Erased, o.Parts, o.Reason, erased = true, store.Parts, reasonErased, true
		}
		out = append(out, o)
	}
	if erased {
		if _, err := p.st.Compact(ctx, p.cfg.Vacuum); err != nil {
			return out, fmt.Errorf("erase: %w", err)
		}
	}
	p.log.Info("erasure done", "cases", len(hits), "erased", erased)
	return out, nil
}
