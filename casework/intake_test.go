package casework

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/pii"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// harness is a pipeline over a fresh store with the sample municipality and
// a settable clock.
type harness struct {
	t    *testing.T
	p    *Intake
	st   *store.Store
	cfg  *config.Config
	work *Service
	now  time.Time
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		t.Fatalf("sample config: %v", err)
	}
	h := &harness{t: t, cfg: cfg, now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return h.now }
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	comp, err := notify.NewComposer(notify.Org{Name: cfg.Organisation.Name, MailboxAddress: cfg.Organisation.MailboxAddress, FromHeader: cfg.SMTP.From, Domain: "exempelby.se"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := classify.New(classify.OptionsFrom(cfg))
	if err != nil {
		t.Fatal(err)
	}
	h.st = st
	log := slog.New(slog.DiscardHandler)
	policy := mustPolicy(t, cfg.Deadlines, cfg.Units)
	threads := NewThreads(cfg.Organisation.MailboxAddress, []byte("test-key"), cfg.Organisation.CaseNumberFormat)
	opt := Options{OrgName: cfg.Organisation.Name, MailboxAddress: cfg.Organisation.MailboxAddress, Domains: cfg.Organisation.Domains,
		AuthservID: cfg.Organisation.AuthservID, Units: cfg.Units, MaxMessageSize: cfg.Intake.MaxMessageSize,
		OldMessageAge: cfg.Intake.OldMessageAge.Duration, MaxReceiptsPerSenderPerDay: cfg.Receipts.MaxPerSenderPerDay,
		ReceiptLanguages: cfg.Receipts.Languages}
	h.work = New(Deps{Options: opt, Store: st, Composer: comp, Threads: threads, Policy: policy, Now: clock, Log: log})
	h.p = NewIntake(IntakeDeps{Options: opt, Store: st, Composer: comp, Classifier: cl, Redactor: pii.New(), Threads: threads, Casework: h.work, Policy: policy, Now: clock, Log: log})
	h.p.DontRecover = true
	return h
}

// opts changes the Options of the harness's intake and service alike.
func (h *harness) opts(change func(*Options)) {
	change(&h.p.opt)
	change(&h.work.opt)
}

// msg builds a raw message from header lines and a body.
func msg(headers []string, body string) []byte {
	return []byte(strings.Join(headers, "\r\n") + "\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n"))
}

func citizen(id, from, subject, body string, extra ...string) []byte {
	h := append([]string{"From: " + from, "To: synpunkter@exempelby.se", "Subject: " + subject,
		"Date: Mon, 23 Nov 2026 09:00:00 +0100", "Message-ID: <" + id + ">", "Content-Type: text/plain; charset=utf-8"}, extra...)
	return msg(h, body)
}

func (h *harness) handle(raw []byte, src ...Source) Result {
	h.t.Helper()
	s := Source{Name: "test"}
	if len(src) > 0 {
		s = src[0]
	}
	res, err := h.p.Handle(context.Background(), s, raw)
	if err != nil {
		h.t.Fatalf("Handle() = %v", err)
	}
	return res
}

// withReceipt handles raw, a citizen's mail that opens a case, and
// returns the result with the receipt it queued.
func (h *harness) withReceipt(raw []byte) (Result, store.OutboxRow) {
	h.t.Helper()
	res := h.handle(raw)
	receipts := h.outbox(synpunkt.KindReceipt)
	if len(receipts) == 0 {
		h.t.Fatalf("Handle = %+v queued no receipt", res)
	}
	return res, receipts[len(receipts)-1]
}

func (h *harness) outbox(kind string) []store.OutboxRow {
	h.t.Helper()
	all, err := h.st.AllOutbox(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	var out []store.OutboxRow
	for _, o := range all {
		if kind == "" || o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

func (h *harness) caseByNumber(n string) synpunkt.Case {
	h.t.Helper()
	c, err := h.st.CaseByNumber(context.Background(), n)
	if err != nil {
		h.t.Fatalf("CaseByNumber(%s) = %v", n, err)
	}
	return c
}

func TestNewCaseForwardAndReceipt(t *testing.T) {
	h := newHarness(t)
	res := h.handle(citizen("a1@example.com", "Anna Svensson <anna@example.com>", "Snöröjningen på Storgatan",
		"Hej! Snöröjningen på Storgatan är dålig. Gångbanan är full av is.\n\nMvh Anna Svensson"))
	if res.Outcome != NewCase || res.Case != "SYN-2026-00001" {
		t.Fatalf("Handle = %+v, want new case SYN-2026-00001", res)
	}
	c := h.caseByNumber(res.Case)
	if c.Unit != "Gatu- och parkenheten" || c.Committee != "Samhällsbyggnadsnämnden" || c.InitiatedBy != synpunkt.RolePrivatperson {
		t.Errorf("case = %+v", c)
	}
	if len(c.Documents) != 1 || c.Documents[0].Direction != synpunkt.Inkommande || c.Documents[0].SenderRole != "Privatperson" {
		t.Errorf("documents = %+v", c.Documents)
	}
	fwd, rc := h.outbox(synpunkt.KindForward), h.outbox(synpunkt.KindReceipt)
	if len(fwd) != 1 || fwd[0].To != "gatuchef@exempelby.se" {
		t.Errorf("forward = %+v, want one to gatuchef@exempelby.se", fwd)
	}
	if len(rc) != 1 || rc[0].To != "anna@example.com" || !strings.Contains(string(rc[0].Payload), "SYN-2026-00001") {
		t.Errorf("receipt = %+v, want one to anna@example.com naming the case", rc)
	}
	if !strings.Contains(string(rc[0].Payload), "Auto-Submitted: auto-replied") {
		t.Error("receipt lacks Auto-Submitted: auto-replied")
	}
}

func TestDuplicateRegistersOnce(t *testing.T) {
	h := newHarness(t)
	raw := citizen("dup@example.com", "anna@example.com", "Lampa", "Gatlyktan på Storgatan är trasig.")
	first := h.handle(raw)
	again := h.handle(raw)
	redelivered := h.handle(append([]byte("Received: from mx2.example by mx.exempelby.se\r\n"), raw...))
	if first.Outcome != NewCase || again.Outcome != Duplicate || redelivered.Outcome != Duplicate {
		t.Fatalf("outcomes = %s, %s, %s; want case, duplicate, duplicate", first.Outcome, again.Outcome, redelivered.Outcome)
	}
	if again.Case != first.Case {
		t.Errorf("duplicate names case %q, want %q", again.Case, first.Case)
	}
	if n := len(h.outbox("")); n != 2 {
		t.Errorf("outbox has %d rows, want 2 (one forward, one receipt)", n)
	}
}

func TestNoReceiptForAutomatedMail(t *testing.T) {
	tests := []struct {
		name    string
		extra   []string
		from    string
		receipt bool
	}{
		{"auto-generated", []string{"Auto-Submitted: auto-generated"}, "a@example.com", false},
		{"auto-submitted no is a human", []string{"Auto-Submitted: no"}, "b@example.com", true},
		{"precedence bulk", []string{"Precedence: bulk"}, "c@example.com", false},
		{"precedence list", []string{"Precedence: list"}, "d@example.com", false},
		{"list-id", []string{"List-Id: <grannar.example.com>"}, "e@example.com", false},
		{"plain human", nil, "g@example.com", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			res := h.handle(citizen(fmt.Sprintf("auto%d@example.com", i), tt.from, "Parkering", "Varför är parkeringen vid Torget så dyr?", tt.extra...))
			if res.Outcome != NewCase {
				t.Fatalf("outcome = %s, want case (bulk, list and auto-generated mail is still registered; auto-replies are not, see TestAutoReplyOpensNoCase)", res.Outcome)
			}
			if got := len(h.outbox(synpunkt.KindReceipt)) == 1; got != tt.receipt {
				t.Errorf("receipt sent = %v, want %v", got, tt.receipt)
			}
			if len(h.outbox(synpunkt.KindForward)) != 1 {
				t.Error("no forward to the manager")
			}
		})
	}
}

func TestBounceAttachesToItsCase(t *testing.T) {
	h := newHarness(t)
	res, receipt := h.withReceipt(citizen("c1@example.com", "nobody@example.invalid", "Klotter", "Det är klotter på skolan."))
	bounce := msg([]string{"From: Mail Delivery System <MAILER-DAEMON@mx.exempelby.se>", "To: synpunkter@exempelby.se",
		"Subject: Undelivered Mail Returned to Sender", "Return-Path: <>", "Message-ID: <bounce1@mx.exempelby.se>",
		`Content-Type: multipart/report; report-type=delivery-status; boundary="b"`},
		"--b\nContent-Type: text/plain\n\nThe mail system: host said 550 no such user\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <"+receipt.MessageID+">\nSubject: x\n--b--\n")
	got := h.handle(bounce)
	if got.Outcome != Bounce || got.Case != res.Case {
		t.Fatalf("bounce = %+v, want outcome bounce for case %s", got, res.Case)
	}
	if n := len(h.outbox("")); n != 2 {
		t.Errorf("outbox has %d rows after the bounce, want 2 (nothing answers a bounce)", n)
	}
	if c := h.caseByNumber(res.Case); len(c.Documents) != 1 {
		t.Errorf("bounce added a document: %+v", c.Documents)
	}
}

func TestThreading(t *testing.T) {
	h := newHarness(t)
	first, receipt := h.withReceipt(citizen("orig@example.com", "Per <per@example.net>", "Snöröjning", "Snöröjningen på Storgatan fungerar inte."))
	reply := h.p.Threads().ReplyAddress(first.Case)

	t.Run("citizen answers the receipt", func(t *testing.T) {
		res := h.handle(citizen("r1@example.net", "per@example.net", "Re: Vi har tagit emot", "Nu är det ännu värre.", "In-Reply-To: <"+receipt.MessageID+">"))
		if res.Outcome != AddedToCase || res.Case != first.Case {
			t.Fatalf("= %+v, want document in %s", res, first.Case)
		}
		c := h.caseByNumber(first.Case)
		if d := c.Documents[len(c.Documents)-1]; d.Type != synpunkt.DocKomplettering || d.Direction != synpunkt.Inkommande {
			t.Errorf("last document = %+v, want Komplettering/Inkommande", d)
		}
	})
	t.Run("staff reply with the tag in the subject", func(t *testing.T) {
		res := h.handle(citizen("r2@exempelby.se", "Gatuchefen <gatuchef@exempelby.se>", "Svar: ["+first.Case+"] Snöröjning", "Vi plogar i dag."))
		if res.Outcome != AddedToCase || res.Case != first.Case {
			t.Fatalf("= %+v, want document in %s", res, first.Case)
		}
		c := h.caseByNumber(first.Case)
		if d := c.Documents[len(c.Documents)-1]; d.Type != synpunkt.DocSvar || d.Direction != synpunkt.Upprattad || d.SenderRole != "Gatu- och parkenheten" {
			t.Errorf("last document = %+v, want Svar/Upprättad from the unit", d)
		}
	})
	t.Run("anyone writing to the signed plus-address", func(t *testing.T) {
		raw := msg([]string{"From: granne@example.org", "To: " + reply, "Subject: Angående snön", "Message-ID: <r3@example.org>"}, "Jag håller med.")
		if res := h.handle(raw); res.Outcome != AddedToCase || res.Case != first.Case {
			t.Fatalf("= %+v, want document in %s", res, first.Case)
		}
	})
	t.Run("a stranger copying the tag opens a new case", func(t *testing.T) {
		res := h.handle(citizen("r4@example.org", "stranger@example.org", "["+first.Case+"] lägg till", "Jag vill också klaga på biblioteket."))
		if res.Outcome != NewCase || res.Case == first.Case {
			t.Fatalf("= %+v, want a new case", res)
		}
		events, _ := h.st.Events(context.Background(), h.caseByNumber(res.Case).ID)
		if !hasEvent(events, "thread_rejected") {
			t.Errorf("new case has no thread_rejected event: %+v", events)
		}
	})
	t.Run("a forged unsigned plus-address opens a new case", func(t *testing.T) {
		raw := msg([]string{"From: stranger@example.org", "To: synpunkter+" + first.Case + ".aaaaaaaaaa@exempelby.se", "Subject: hej", "Message-ID: <r5@example.org>"}, "Simhallen är kall.")
		if res := h.handle(raw); res.Outcome != NewCase {
			t.Fatalf("= %+v, want a new case", res)
		}
	})
}

func hasEvent(events []store.EventRow, kind string) bool {
	for _, e := range events {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

func TestReceiptCapPerSender(t *testing.T) {
	h := newHarness(t)
	for i := range 12 {
		h.handle(citizen(fmt.Sprintf("flood%d@example.com", i), "loop@example.com", "Fråga", fmt.Sprintf("Fråga nummer %d om biblioteket?", i)))
	}
	if n := len(h.outbox(synpunkt.KindReceipt)); n != h.cfg.Receipts.MaxPerSenderPerDay {
		t.Errorf("receipts = %d, want the cap %d", n, h.cfg.Receipts.MaxPerSenderPerDay)
	}
	if n := len(h.outbox(synpunkt.KindForward)); n != 12 {
		t.Errorf("forwards = %d, want 12 (every message is registered)", n)
	}
	h.now = h.now.Add(25 * time.Hour)
	h.handle(citizen("flood-next-day@example.com", "loop@example.com", "Fråga", "En ny dag, en ny fråga om biblioteket?"))
	if n := len(h.outbox(synpunkt.KindReceipt)); n != h.cfg.Receipts.MaxPerSenderPerDay+1 {
		t.Errorf("receipts the next day = %d, want %d", n, h.cfg.Receipts.MaxPerSenderPerDay+1)
	}
}

func TestOldBacklogGetsNoReceipt(t *testing.T) {
	h := newHarness(t)
	old := Source{Name: "imap", ReceivedAt: h.now.Add(-8 * 24 * time.Hour), Backlog: true}
	h.handle(citizen("old@example.com", "a@example.com", "Bibliotek", "Bra bibliotek!"), old)
	recent := Source{Name: "imap", ReceivedAt: h.now.Add(-2 * 24 * time.Hour), Backlog: true}
	h.handle(citizen("recent@example.com", "b@example.com", "Bibliotek", "Bra bibliotek igen!"), recent)
	rc := h.outbox(synpunkt.KindReceipt)
	if len(rc) != 1 || rc[0].To != "b@example.com" {
		t.Errorf("receipts = %+v, want only the recent one", rc)
	}
}

func TestQuarantine(t *testing.T) {
	h := newHarness(t)
	if res := h.handle(nil); res.Outcome != Quarantined || res.Reason == "" {
		t.Errorf("empty message = %+v, want quarantine with reason", res)
	}
	h.opts(func(o *Options) { o.MaxMessageSize = 1 << 16 })
	big := citizen("big@example.com", "a@example.com", "Stor", strings.Repeat("x", 1<<17))
	if res := h.handle(big); res.Outcome != Quarantined || !strings.Contains(res.Reason, "too large") {
		t.Errorf("oversized message = %+v, want quarantine 'too large'", res)
	}
	if res := h.handle(big); res.Outcome != Quarantined {
		t.Errorf("oversized again = %+v, want quarantine (so intake moves it to the quarantine folder again)", res)
	}
	q, _ := h.st.Quarantined(context.Background())
	if len(q) != 2 {
		t.Errorf("quarantine ledger has %d rows, want 2", len(q))
	}
}

func TestExclusionOpensNoCase(t *testing.T) {
	h := newHarness(t)
	h.wantExcluded(citizen("pol@example.com", "ordforande@exempelbypartiet.example", "Motion om cykelbanor",
		"Partiet lämnar härmed en motion till fullmäktige om fler cykelbanor."), "politisk")
	notices := h.outbox(synpunkt.KindNotice)
	if len(notices) != 2 || notices[0].To != "registrator@exempelby.se" {
		t.Errorf("notices = %+v, want forward to registrator@exempelby.se and the neutral reply", notices)
	}
}

func TestFormMailReceiptGoesToTheCitizen(t *testing.T) {
	h := newHarness(t)
	raw := msg([]string{"From: E-tjänst <noreply-e-tjanst@exempelby.se>", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt", "Message-ID: <form1@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Namn: Sara Nilsson\nE-post: sara@example.com\nTelefon: 070-111 22 33\nKategori: Felanmälan\nVerksamhet: Gata och trafik\nVill du ha svar: Ja\nAnonym: Nej\nMeddelande: Gatlyktan på Björkvägen är trasig.")
	res := h.handle(raw)
	if res.Outcome != NewCase {
		t.Fatalf("= %+v, want case", res)
	}
	c := h.caseByNumber(res.Case)
	if c.Category != synpunkt.DocFelanmalan || c.InitiatedBy != synpunkt.RolePrivatperson {
		t.Errorf("case = %s / %s, want Felanmälan / Privatperson", c.Category, c.InitiatedBy)
	}
	rc := h.outbox(synpunkt.KindReceipt)
	if len(rc) != 1 || rc[0].To != "sara@example.com" {
		t.Errorf("receipt = %+v, want one to sara@example.com (never the no-reply sender)", rc)
	}
	smsOnly := msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt", "Message-ID: <form2@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Namn:\nE-post:\nTelefon: 070-555 12 34\nMeddelande: När öppnar simhallen?")
	h.handle(smsOnly)
	rc = h.outbox(synpunkt.KindReceipt)
	if len(rc) != 2 || rc[1].Channel != "sms" || rc[1].To != "+46705551234" {
		t.Errorf("receipt for phone-only form = %+v, want SMS to +46705551234", rc[len(rc)-1])
	}
	anon := msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt", "Message-ID: <form3@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Namn: Kim\nE-post: kim@example.com\nAnonym: Ja\nMeddelande: Biblioteket borde ha längre öppettider.")
	res = h.handle(anon)
	if c := h.caseByNumber(res.Case); c.InitiatedBy != synpunkt.RoleAnonym {
		t.Errorf("anonymous form: initiated_by = %s, want Anonym", c.InitiatedBy)
	}
	if n := len(h.outbox(synpunkt.KindReceipt)); n != 2 {
		t.Errorf("anonymous form got a receipt (%d receipts)", n)
	}
}

// TestNoPlantedPersonalDataInMetadata registers messages full of personal
// data and checks that no metadata column holds any planted value.
func TestNoPlantedPersonalDataInMetadata(t *testing.T) {
	h := newHarness(t)
	planted := []string{"Anna Lindqvist", "Lindqvist", "19121212-1212", "191212-1212", "070-123 45 67", "0701234567",
		"anna.lindqvist@example.com", "Ekvägen 14", "123 45", "Oskar", "ABC 123", "08-765 43 21"}
	raws := [][]byte{
		citizen("p1@example.com", "Anna Lindqvist <anna.lindqvist@example.com>", "Anna Lindqvist 19121212-1212 klagar på Ekvägen 14",
			"Jag heter Anna Lindqvist, personnummer 19121212-1212, och bor på Ekvägen 14, 123 45 Exempelby.\nRing 070-123 45 67 eller 08-765 43 21.\nMvh Anna Lindqvist"),
		citizen("p2@example.com", "anna.lindqvist@example.com", "Min son Oskar på förskolan", "Min son Oskar blev utan mat. Bilen ABC 123 står på gångbanan. Maila anna.lindqvist@example.com"),
		citizen("p3@example.com", "Anna <anna.lindqvist@example.com>", "0701234567", "191212-1212"),
	}
	for _, raw := range raws {
		h.handle(raw)
	}
	rows, err := h.st.DB().Query(`SELECT c.number || '|' || c.status || '|' || c.category || '|' || c.unit || '|' || c.committee || '|' || c.initiated_by || '|' || c.description || '|' ||
		d.type || '|' || d.direction || '|' || d.sender_role FROM cases c JOIN documents d ON d.case_id = c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var meta string
		rows.Scan(&meta)
		n++
		for _, p := range planted {
			if strings.Contains(meta, p) {
				t.Errorf("metadata %q contains planted value %q", meta, p)
			}
		}
	}
	if n != len(raws) {
		t.Errorf("checked %d metadata rows, want %d", n, len(raws))
	}
}

// A message prepared ahead (parsed and keyed off the write lock) is
// registered as Handle registers it, and once: the prepared copy is the
// same case; a Prepared of other bytes is not trusted but redone.
func TestHandlePreparedRegistersLikeHandle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	raw := citizen("prep@example.com", "anna@example.com", "Lampa", "Gatlyktan på Storgatan är trasig.")
	src := Source{Name: "test"}
	pre := h.p.Prepare(src, raw)
	if pre == nil {
		t.Fatal("Prepare of a plain message = nil")
	}
	first, err := h.p.HandlePrepared(ctx, src, raw, pre)
	if err != nil || first.Outcome != NewCase {
		t.Fatalf("HandlePrepared = %+v, %v; want a new case", first, err)
	}
	if c := h.caseByNumber(first.Case); len(c.Documents) == 0 || c.Documents[0].RawSHA256 != store.RawSum(raw) {
		t.Errorf("registered document = %+v, want the raw message's SHA-256 %s", c.Documents, store.RawSum(raw))
	}
	again := h.handle(raw)
	if again.Outcome != Duplicate || again.Case != first.Case {
		t.Errorf("Handle of the same message after HandlePrepared = %+v, want a duplicate of %s", again, first.Case)
	}

	// A Prepared made from another message (same bytes, other memory, or
	// other bytes) is ignored: the second message gets its own case.
	other := citizen("other@example.com", "bo@example.com", "Parkbänk", "Bänken i parken är sönder.")
	wrong := h.p.Prepare(src, bytes.Clone(raw))
	res, err := h.p.HandlePrepared(ctx, src, other, wrong)
	if err != nil || res.Outcome != NewCase || res.Case == first.Case {
		t.Errorf("HandlePrepared with another message's Prepared = %+v, %v; want a case of its own", res, err)
	}
	if n := len(h.outbox("")); n != 4 {
		t.Errorf("outbox has %d rows, want 4 (two forwards, two receipts)", n)
	}
}

// Prepare classifies a message ahead (off the write lock) and Handle
// registers the case with that classification, not a second one; one made
// with another staff verdict is not used but redone.
func TestPrepareClassifiesAhead(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := Source{Name: "test"}
	raw := citizen("ahead@example.com", "anna@example.com", "Lampa", "Gatlyktan på Storgatan är trasig.")
	pre := h.p.Prepare(src, raw)
	if pre == nil || pre.classified == nil || pre.classified.d.Category != synpunkt.DocFelanmalan {
		t.Fatalf("Prepare of a fault report: classified = %+v, want Felanmälan", pre)
	}
	if ct := pre.classified.text; ct == nil || ct.description == "" || ct.language == "" {
		t.Fatalf("Prepare worked out no case text: %+v", ct)
	}
	pre.classified.d.Category = synpunkt.DocBerom // marks the decision made ahead
	pre.classified.text.description = "Beskrivet i förväg"
	res, err := h.p.HandlePrepared(ctx, src, raw, pre)
	if err != nil || res.Outcome != NewCase {
		t.Fatalf("HandlePrepared = %+v, %v; want a new case", res, err)
	}
	if c := h.caseByNumber(res.Case); c.Category != synpunkt.DocBerom || c.Description != "Beskrivet i förväg" {
		t.Errorf("case = %s / %q, want the classification and description worked out ahead", c.Category, c.Description)
	}

	raw = citizen("ahead2@example.com", "bo@example.com", "Lampa", "Gatlyktan på Kungsgatan är trasig.")
	pre = h.p.Prepare(src, raw)
	pre.classified.d.Category = synpunkt.DocBerom
	pre.classified.text.description = "Beskrivet i förväg"
	pre.classified.staff = !pre.classified.staff // another verdict than Handle's
	if res, err = h.p.HandlePrepared(ctx, src, raw, pre); err != nil || res.Outcome != NewCase {
		t.Fatalf("HandlePrepared = %+v, %v; want a new case", res, err)
	}
	if c := h.caseByNumber(res.Case); c.Category != synpunkt.DocFelanmalan || c.Description == "Beskrivet i förväg" {
		t.Errorf("case = %s / %q, want Felanmälan and its own description, worked out again", c.Category, c.Description)
	}
}

// Prepare may run for several messages at once (the IMAP intake prepares
// a batch on several goroutines): each gets what it gets alone.
func TestPrepareConcurrently(t *testing.T) {
	h := newHarness(t)
	src := Source{Name: "test"}
	var raws [][]byte
	for i := range 8 {
		raws = append(raws, citizen(fmt.Sprintf("conc%d@example.com", i), "anna@example.com", "Lampa", fmt.Sprintf("Gatlyktan nummer %d på Storgatan är trasig.", i)))
	}
	got := make([]*Prepared, len(raws))
	var wg sync.WaitGroup
	for i := range raws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = h.p.Prepare(src, raws[i])
		}()
	}
	wg.Wait()
	for i, raw := range raws {
		want := h.p.Prepare(src, raw)
		if got[i] == nil || got[i].key != want.key || got[i].sum != want.sum || got[i].classified == nil ||
			!reflect.DeepEqual(got[i].classified.d, want.classified.d) {
			t.Errorf("Prepare of message %d beside others = %+v, want %+v", i, got[i], want)
		}
	}
}

// Prepare leaves an oversized message to Handle, which quarantines it.
func TestPrepareSkipsOversize(t *testing.T) {
	h := newHarness(t)
	if pre := h.p.Prepare(Source{Name: "test", Oversize: 1 << 30}, []byte("Subject: x\r\n\r\n")); pre != nil {
		t.Errorf("Prepare of an oversized message = %+v, want nil", pre)
	}
}

// A big message handed over as a file (Source.File, as the IMAP intake
// streams one) is registered as the same bytes in memory would be: the
// same attachments and key (the in-memory copy is a duplicate of it), the
// file's bytes as the original, and a forward that holds them whole.
func TestHandleFromFileRegistersLikeHandle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	att := bytes.Repeat([]byte("%PDF-1.4 ritning "), (7<<20)/17)
	enc := base64.StdEncoding.EncodeToString(att)
	var body strings.Builder
	body.WriteString("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGatlyktan på Storgatan är trasig, se bilden.\r\n" +
		"--b1\r\nContent-Type: application/pdf; name=\"ritning.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for len(enc) > 76 {
		body.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	body.WriteString(enc + "\r\n--b1--\r\n")
	raw := []byte("From: anna@example.com\r\nTo: synpunkter@exempelby.se\r\nSubject: Lampa\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n" +
		"Message-ID: <file@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" + body.String())

	path := filepath.Join(t.TempDir(), "fetch.tmp-1")
	f := testkit.WriteOpen(t, path, raw)
	lean := &mimeparse.Lean{}
	lean.Write(raw)
	lean.Close()
	if !lean.Elided() {
		t.Fatal("nothing elided: the test needs a bigger attachment")
	}
	src := Source{Name: "test", File: &mimeparse.RawFile{Path: path, File: f, Size: int64(len(raw)), SHA256: store.RawSum(raw), Lean: lean}}
	pre := h.p.Prepare(src, nil)
	if pre == nil || pre.err != nil || pre.perr != nil {
		t.Fatalf("Prepare from a file = %+v", pre)
	}
	res, err := h.p.HandlePrepared(ctx, src, nil, pre)
	if err != nil || res.Outcome != NewCase {
		t.Fatalf("HandlePrepared from a file = %+v, %v; want a new case", res, err)
	}
	c := h.caseByNumber(res.Case)
	d := c.Documents[0]
	if d.RawSHA256 != store.RawSum(raw) || len(d.Attachments) != 1 || d.Attachments[0].Size != int64(len(att)) || d.Attachments[0].Name != "ritning.pdf" {
		t.Errorf("document = %+v, want the message's SHA-256 and ritning.pdf of %d bytes", d, len(att))
	}
	if got, err := h.st.Original(ctx, d.ID); err != nil || !bytes.Equal(got, raw) {
		t.Errorf("Original = %d bytes, %v; want the file's %d", len(got), err, len(raw))
	}
	fwd := h.outbox(synpunkt.KindForward)
	if len(fwd) != 1 {
		t.Fatalf("forwards = %d, want 1", len(fwd))
	}
	if p, err := h.st.OutboxPayload(ctx, fwd[0].ID); err != nil || !bytes.Contains(p, raw) {
		t.Errorf("forward payload = %d bytes, %v; want it to hold the original whole", len(p), err)
	}
	if again := h.handle(raw); again.Outcome != Duplicate || again.Case != res.Case {
		t.Errorf("the same message in memory = %+v, want a duplicate of %s", again, res.Case)
	}
}

// A message fetched into a file with the Intake's digest written beside
// it (mailbox.Digester) is prepared without reading the file again: its
// key comes from the digest, and is the key of the same bytes in memory.
// Without a Message-ID the digest cannot tell, and the file is read.
func TestPrepareTakesTheKeyFromTheDigest(t *testing.T) {
	h := newHarness(t)
	for _, mid := range []string{"Message-ID: <digest@example.com>\r\n", ""} {
		raw := []byte("From: anna@example.com\r\nTo: synpunkter@exempelby.se\r\nSubject: Lampa\r\n" + mid +
			"\r\nGatlyktan på Storgatan är trasig.\r\n\r\n\r\n")
		path := filepath.Join(t.TempDir(), "fetch.tmp-1")
		f := testkit.WriteOpen(t, path, raw)
		f.Close() // a read fails
		lean := &mimeparse.Lean{}
		lean.Write(raw)
		lean.Close()
		dg := h.p.NewDigest()
		for off := 0; off < len(raw); off += 7 {
			dg.Write(raw[off:min(off+7, len(raw))])
		}
		src := Source{Name: "test", File: &mimeparse.RawFile{Path: path, File: f, Size: int64(len(raw)), SHA256: store.RawSum(raw), Lean: lean, Digest: dg}}
		pre := h.p.Prepare(src, nil)
		if pre == nil || pre.perr != nil {
			t.Fatalf("Prepare from a file = %+v", pre)
		}
		if mid == "" {
			if pre.err == nil {
				t.Errorf("Prepare without a Message-ID: no error from the closed file, key %q; want the file read", pre.key)
			}
			continue
		}
		if pre.err != nil {
			t.Fatalf("Prepare read the file: %v", pre.err)
		}
		if want := store.IdempotencyKey("digest@example.com", raw); pre.key != want {
			t.Errorf("key from the digest = %q, want %q", pre.key, want)
		}
	}
}
