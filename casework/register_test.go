package casework

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// staffMail builds a mail from a clerk in the organisation's domain.
func staffMail(id, subject, body string, extra ...string) []byte {
	return citizen(id, "Kim Kontaktcenter <kim.kontakt@exempelby.se>", subject, body, extra...)
}

// A clerk mailing "#registrera telefon: ..." registers the body as a
// citizen's synpunkt that came by phone, not as internal mail.
func TestRegisterMailForm(t *testing.T) {
	h := newHarness(t)
	res := h.handle(staffMail("reg1@exempelby.se", "#registrera telefon: Trasig gatlykta",
		"Telefon: 070-555 12 34\n\nGatlyktan på Björkvägen är trasig sedan en vecka.\n\n-- \nKim, Kontaktcenter"))
	if res.Outcome != NewCase {
		t.Fatalf("= %+v, want a new case", res)
	}
	c := h.caseByNumber(res.Case)
	if c.Channel != synpunkt.ChannelTelefon || c.Category != synpunkt.DocFelanmalan || c.Unit != "Gatu- och parkenheten" {
		t.Errorf("case = %s / %s / %s, want telefon / Felanmälan / Gatu- och parkenheten", c.Channel, c.Category, c.Unit)
	}
	if c.InitiatedBy != synpunkt.RolePrivatperson || len(c.Documents) != 1 || c.Documents[0].Direction != synpunkt.Inkommande {
		t.Errorf("initiated by %s, documents %+v; want Privatperson and one Inkommande document", c.InitiatedBy, c.Documents)
	}
	if strings.Contains(c.Description, "Kim") {
		t.Errorf("description %q holds the clerk's signature", c.Description)
	}
	if fwd := h.outbox(synpunkt.KindForward); len(fwd) != 1 || fwd[0].To != "belysning@exempelby.se" {
		t.Errorf("forwards to %v, want the street-lighting handler belysning@exempelby.se", recipientsOf(fwd))
	}
	if rc := h.outbox(synpunkt.KindReceipt); len(rc) != 1 || rc[0].Channel != "sms" || rc[0].To != "+46705551234" {
		t.Errorf("receipts to %v, want one SMS to +46705551234", recipientsOf(rc))
	}
	ack := h.outbox(synpunkt.KindNotice)
	if len(ack) != 1 || ack[0].To != "kim.kontakt@exempelby.se" || !strings.Contains(bodyText(t, ack[0].Payload), res.Case) {
		t.Errorf("acknowledgements to %v, want one to the clerk naming %s", recipientsOf(ack), res.Case)
	}
	contact, ok, _ := h.st.Contact(context.Background(), c.ID)
	if !ok || contact.Phone != "+46705551234" || contact.Email != "" {
		t.Errorf("contact = %+v, want the citizen's phone only (never the clerk)", contact)
	}
	counts, _ := h.st.IntakeCounts(context.Background())
	if counts[store.OutcomeCase] != 1 || len(counts) != 1 {
		t.Errorf("ledger = %v, want one case row", counts)
	}

	// A letter with the citizen's address, and an anonymous visit.
	res = h.handle(staffMail("reg2@exempelby.se", "#registrera brev Öppettider",
		"Från: Per Persson <Per@Example.net>\nBiblioteket borde ha längre öppettider på lördagar."))
	if c := h.caseByNumber(res.Case); res.Outcome != NewCase || c.Channel != synpunkt.ChannelBrev {
		t.Fatalf("letter = %+v (channel %s), want a case by brev", res, c.Channel)
	}
	if rc := h.outbox(synpunkt.KindReceipt); len(rc) != 2 || rc[1].To != "per@example.net" {
		t.Errorf("receipts to %v, want the second to per@example.net", recipientsOf(rc))
	}
	res = h.handle(staffMail("reg3@exempelby.se", "#Registrera besök", "Anonym\nKlotter på busskuren vid torget."))
	if c := h.caseByNumber(res.Case); c.Channel != synpunkt.ChannelBesok || c.InitiatedBy != synpunkt.RoleAnonym {
		t.Errorf("visit = %s / %s, want besök / Anonym", c.Channel, c.InitiatedBy)
	}
	if n := len(h.outbox(synpunkt.KindReceipt)); n != 2 {
		t.Errorf("anonymous visit got a receipt (%d receipts)", n)
	}
}

func TestRegisterMailFormRefusals(t *testing.T) {
	h := newHarness(t)
	res := h.handle(staffMail("bad1@exempelby.se", "#registrera fax: Något", "Gatlyktan är trasig."))
	if res.Outcome != Quarantined || !strings.Contains(res.Reason, "channel") {
		t.Fatalf("unknown channel = %+v, want quarantine naming the channel", res)
	}
	ack := h.outbox(synpunkt.KindNotice)
	if len(ack) != 1 || ack[0].To != "kim.kontakt@exempelby.se" || !strings.Contains(bodyText(t, ack[0].Payload), "telefon, besök, brev, e-tjänst") {
		t.Errorf("refusal notices to %v, want one to the clerk listing the channels", recipientsOf(ack))
	}
	if res := h.handle(staffMail("bad2@exempelby.se", "#registrera telefon", "Telefon: 08-123 456\nHej.")); res.Outcome != Quarantined {
		t.Errorf("landline for an SMS receipt = %+v, want quarantine", res)
	}
	if res := h.handle(staffMail("bad3@exempelby.se", "#registrera telefon", "Från: kollega@exempelby.se\nHej.")); res.Outcome != Quarantined {
		t.Errorf("own-domain citizen address = %+v, want quarantine", res)
	}
	if n := h.caseCount(); n != 0 {
		t.Errorf("refused registrations opened %d cases", n)
	}
}

// #registrera is a staff command: from anyone else it is ordinary mail,
// and with organisation.authserv_id set a forged staff From is not staff.
func TestRegisterMailFormOnlyFromStaff(t *testing.T) {
	h := newHarness(t)
	res := h.handle(citizen("out1@example.net", "per@example.net", "#registrera telefon: hej", "Gatlyktan på Björkvägen är trasig."))
	if c := h.caseByNumber(res.Case); res.Outcome != NewCase || c.Channel != synpunkt.ChannelEpost {
		t.Errorf("citizen's #registrera = %+v (channel %s), want an ordinary e-post case", res, c.Channel)
	}
	if rc := h.outbox(synpunkt.KindReceipt); len(rc) != 1 || rc[0].To != "per@example.net" {
		t.Errorf("receipts to %v, want per@example.net", recipientsOf(rc))
	}
	h.opts(func(o *Options) { o.AuthservID = "mx.exempelby.se" })
	forged := staffMail("forged1@evil.example", "#registrera telefon", "Telefon: 070-555 12 34\nGatlyktan på Björkvägen är trasig.")
	if res := h.handle(forged); res.Outcome == NewCase && h.caseByNumber(res.Case).Channel == synpunkt.ChannelTelefon {
		t.Errorf("a forged staff mail registered a phone call: %+v", res)
	}
}

func TestRegister(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	res, err := h.p.Register(ctx, Registration{Channel: synpunkt.ChannelBrev, Email: "Per Persson <Per@Example.net>", Subject: "Snöröjning",
		Text: "Snöröjningen på Storgatan fungerar inte.", ReceivedAt: at, Clerk: "cli"})
	if err != nil || res.Outcome != NewCase {
		t.Fatalf("Register(brev) = %+v, %v", res, err)
	}
	c := h.caseByNumber(res.Case)
	if c.Channel != synpunkt.ChannelBrev || !c.ReceivedAt.Equal(at) || c.Unit != "Gatu- och parkenheten" || c.InitiatedBy != synpunkt.RolePrivatperson {
		t.Errorf("case = %+v", c)
	}
	if rc := h.outbox(synpunkt.KindReceipt); len(rc) != 1 || rc[0].To != "per@example.net" {
		t.Errorf("receipts to %v, want per@example.net", recipientsOf(rc))
	}
	if fwd := h.outbox(synpunkt.KindForward); len(fwd) != 1 || fwd[0].To != "gatuchef@exempelby.se" {
		t.Errorf("forwards to %v, want gatuchef@exempelby.se", recipientsOf(fwd))
	}
	events, _ := h.st.Events(ctx, c.ID)
	if !hasEvent(events, "registered") {
		t.Errorf("no registered event: %+v", events)
	}
	if again, err := h.p.Register(ctx, Registration{Channel: synpunkt.ChannelBrev, Email: "Per Persson <Per@Example.net>", Subject: "Snöröjning",
		Text: "Snöröjningen på Storgatan fungerar inte.", ReceivedAt: at, Clerk: "cli"}); err != nil || again.Outcome != Duplicate {
		t.Errorf("the same registration again = %+v, %v; want duplicate", again, err)
	}

	res, err = h.p.Register(ctx, Registration{Channel: synpunkt.ChannelTelefon, Phone: "070-555 12 34", Subject: "Simhallen", Text: "När öppnar simhallen?", Clerk: "cli"})
	if err != nil || h.caseByNumber(res.Case).Channel != synpunkt.ChannelTelefon {
		t.Fatalf("Register(telefon) = %+v, %v", res, err)
	}
	if rc := h.outbox(synpunkt.KindReceipt); len(rc) != 2 || rc[1].Channel != "sms" || rc[1].To != "+46705551234" {
		t.Errorf("receipts to %v, want an SMS to +46705551234", recipientsOf(rc))
	}
	if c := h.caseByNumber(res.Case); !c.ReceivedAt.Equal(h.now) {
		t.Errorf("received at %v, want the clock's now %v", c.ReceivedAt, h.now)
	}

	for _, bad := range []Registration{
		{Channel: "fax", Text: "x"},
		{Channel: synpunkt.ChannelEpost, Text: "mail comes by mail"},
		{Channel: synpunkt.ChannelBesok, Text: "  "},
		{Channel: synpunkt.ChannelBesok, Text: "x", Email: "kollega@exempelby.se"},
		{Channel: synpunkt.ChannelBesok, Text: "x", Email: "synpunkter+a@exempelby.se"},
		{Channel: synpunkt.ChannelBesok, Text: "x", Email: "inte en adress"},
		{Channel: synpunkt.ChannelBesok, Text: "x", Phone: "08-123 456"},
		{Channel: synpunkt.ChannelBesok, Text: "x", Phone: "070-555 12 34", Anonymous: true},
		{Channel: synpunkt.ChannelBesok, Text: "x", ReceivedAt: h.now.Add(time.Hour)},
	} {
		res, err := h.p.Register(ctx, bad)
		var re *RegistrationError
		if !errors.Is(err, ErrInvalidRegistration) || !errors.As(err, &re) {
			t.Errorf("Register(%+v) = %+v, %v; want ErrInvalidRegistration", bad, res, err)
		}
	}
	if cases, _ := h.st.ListCases(ctx, store.Filter{}); len(cases) != 2 {
		t.Errorf("%d cases, want 2 (refusals open none)", len(cases))
	}
}

// Mail from the web form is counted as e-tjänst.
func TestFormMailChannel(t *testing.T) {
	h := newHarness(t)
	res := h.handle(msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt",
		"Message-ID: <formch@exempelby.se>", "Content-Type: text/plain; charset=utf-8"}, "E-post: sara@example.com\nMeddelande: När öppnar simhallen?"))
	if c := h.caseByNumber(res.Case); c.Channel != synpunkt.ChannelEtjanst {
		t.Errorf("form mail channel = %s, want e-tjänst", c.Channel)
	}
}
