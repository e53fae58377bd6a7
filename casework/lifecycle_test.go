package casework

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
)

func (h *harness) deadlines(at time.Time) []string {
	h.t.Helper()
	h.now = at
	actions, err := h.work.RunDeadlines(context.Background(), at, false)
	if err != nil {
		h.t.Fatalf("RunDeadlines(%s) = %v", at, err)
	}
	var out []string
	for _, a := range actions {
		out = append(out, a.Key+"→"+a.To)
	}
	return out
}

// snowCase registers a complaint for Gatu- och parkenheten received at t.
func (h *harness) snowCase(id string, at time.Time) synpunkt.Case {
	h.t.Helper()
	h.now = at
	res := h.handle(citizen(id, "Per <per@example.net>", "Snöröjning", "Snöröjningen på Storgatan fungerar inte."),
		Source{Name: "test", ReceivedAt: at})
	return h.caseByNumber(res.Case)
}

// staffCommand is a mail from the unit's manager replying to case c
// through the case's signed reply address (the forward's Reply-To), which
// commands need when organisation.authserv_id is not set.
func (h *harness) staffCommand(c synpunkt.Case, id, body string) {
	h.t.Helper()
	h.handle(citizen(id, "Gatuchefen <gatuchef@exempelby.se>", "Re: ["+c.Number+"] Snöröjning", body, "Cc: "+h.p.threads.ReplyAddress(c.Number)))
}

// firstAnswer is the unit's Svar to case c, received at (Stockholm time).
func (h *harness) firstAnswer(c synpunkt.Case, id, at string) {
	h.t.Helper()
	h.now = stockholmTime(h.t, at)
	h.handle(citizen(id, "gatuchef@exempelby.se", "Svar: ["+c.Number+"]", "Vi tittar på det i dag."))
}

// wantState asserts case number's status and the type of its last
// document, and returns the case.
func (h *harness) wantState(number string, status synpunkt.Status, last synpunkt.DocType) synpunkt.Case {
	h.t.Helper()
	got := h.caseByNumber(number)
	if got.Status != status {
		h.t.Errorf("status = %s, want %s", got.Status, status)
	}
	if d := got.Documents[len(got.Documents)-1]; d.Type != last {
		h.t.Errorf("last mail registered as %s, want %s", d.Type, last)
	}
	return got
}

func TestReminderEscalationChain(t *testing.T) {
	h := newHarness(t)
	// Thursday before Easter 2026: långfredag and annandag påsk do not count.
	c := h.snowCase("chain@example.net", stockholmTime(t, "2026-04-02 10:00"))
	if want := stockholmTime(t, "2026-04-08 10:00"); !c.FirstResponseDue.Equal(want) {
		t.Fatalf("first-response deadline = %s, want %s (Thu + 48 working hours over Easter)", c.FirstResponseDue, want)
	}
	steps := []struct {
		at   string
		want []string
	}{
		{"2026-04-08 09:59", nil},
		{"2026-04-08 10:00", []string{"first/reminder→gatuchef@exempelby.se"}},
		{"2026-04-08 12:00", nil},
		{"2026-04-09 10:00", []string{"first/escalation/1→samhallsbyggnadschef@exempelby.se"}},
		{"2026-04-10 10:00", []string{"first/escalation/2→kommundirektor@exempelby.se"}},
		{"2026-04-16 10:00", nil},
		{"2026-04-20 10:00", []string{"final/reminder→gatuchef@exempelby.se"}}, // 10 working days
		{"2026-05-20 10:00", nil},
	}
	for _, s := range steps {
		got := h.deadlines(stockholmTime(t, s.at))
		if strings.Join(got, ",") != strings.Join(s.want, ",") {
			t.Errorf("deadlines at %s = %v, want %v", s.at, got, s.want)
		}
	}
	if n := len(h.outbox(synpunkt.KindEscalation)); n != 2 {
		t.Errorf("escalation mails = %d, want 2", n)
	}
	events, _ := h.st.Events(context.Background(), c.ID)
	if !hasEvent(events, "escalation") || !hasEvent(events, "reminder") {
		t.Errorf("events lack reminder/escalation: %+v", events)
	}
}

// TestReplyStopsTheClock: a Svar stops the first-response clock; the
// final-answer clock runs on until the case is closed, and its reminder
// asks for the answer, not for a first response already given.
func TestReplyStopsTheClock(t *testing.T) {
	h := newHarness(t)
	c := h.snowCase("stop@example.net", stockholmTime(t, "2026-11-23 10:00"))
	h.firstAnswer(c, "svar-stop@exempelby.se", "2026-11-24 09:00")
	if got := h.deadlines(stockholmTime(t, "2026-12-01 10:00")); len(got) != 0 {
		t.Errorf("after a Svar, deadlines = %v, want none", got)
	}
	got := h.deadlines(stockholmTime(t, "2026-12-08 10:00"))
	if len(got) != 1 || !strings.HasPrefix(got[0], "final/reminder") {
		t.Fatalf("after the final deadline = %v, want the final reminder", got)
	}
	rem := h.outbox(synpunkt.KindReminder)
	if len(rem) != 1 {
		t.Fatalf("reminders = %d, want 1", len(rem))
	}
	m, err := mimeparse.Parse(rem[0].Payload)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Subject, "väntar på svar") || !strings.Contains(m.Text, "skulle ha fått ett svar senast 2026-12-07 10:00") || strings.Contains(m.Text, "första besked") {
		t.Errorf("final reminder = %q:\n%s\nwant it to ask for the answer due 2026-12-07 10:00", m.Subject, m.Text)
	}
}

func TestDowntimeCatchesUpOnce(t *testing.T) {
	h := newHarness(t)
	h.snowCase("down@example.net", stockholmTime(t, "2026-11-23 10:00"))
	// The daemon was down for weeks: every level is due, each once.
	first := h.deadlines(stockholmTime(t, "2026-12-20 10:00"))
	if len(first) != 4 {
		t.Errorf("catch-up = %v, want 4 actions (reminder, 2 escalations, final reminder)", first)
	}
	// A restart (a new service over the same store) and many ticks later:
	// nothing is sent again.
	h.work = New(Deps{Options: h.work.opt, Store: h.st, Composer: h.p.compose, Threads: h.p.threads,
		Policy: h.p.policy, Now: func() time.Time { return h.now }, Log: h.p.log})
	for i := range 5 {
		if again := h.deadlines(stockholmTime(t, "2026-12-20 10:00").Add(time.Duration(i) * time.Minute)); len(again) != 0 {
			t.Errorf("tick %d after restart = %v, want nothing", i, again)
		}
	}
}

func TestMailCommandsFromStaff(t *testing.T) {
	h := newHarness(t)
	c := h.snowCase("cmd@example.net", stockholmTime(t, "2026-11-23 10:00"))
	// Without organisation.authserv_id, commands need the case's signed
	// reply address (the forward's Reply-To) besides an own-domain From.
	h.staffCommand(c, "c1@exempelby.se", "#anteckning Plogbil beställd.\n\nHej Per, vi plogar i dag.")
	h.staffCommand(c, "c2@exempelby.se", "#avsluta Gångbanorna är plogade och sandade.\n\n> #återöppna (citerat, ska inte lyda)")
	got := h.caseByNumber(c.Number)
	if got.Status != synpunkt.StatusClosed {
		t.Fatalf("status after #avsluta = %s, want avslutat", got.Status)
	}
	closing := h.outbox(synpunkt.KindClose)
	if len(closing) != 1 || closing[0].To != "per@example.net" || !strings.Contains(string(closing[0].Payload), c.Number) {
		t.Errorf("closing notice = %+v, want one to per@example.net naming the case", closing)
	}
	acks := h.outbox(synpunkt.KindNotice)
	if len(acks) != 2 || acks[1].To != "gatuchef@exempelby.se" {
		t.Errorf("acknowledgements = %d, want 2 to the sender", len(acks))
	}
	events, _ := h.st.Events(context.Background(), c.ID)
	if !hasEvent(events, "note") || !hasEvent(events, "closed") {
		t.Errorf("events lack note/closed: %+v", events)
	}
	h.staffCommand(c, "c3@exempelby.se", "#återöppna")
	if got := h.caseByNumber(c.Number); got.Status != synpunkt.StatusOpen {
		t.Errorf("status after #återöppna = %s, want öppet", got.Status)
	}
	h.staffCommand(c, "c4@exempelby.se", "#vidarebefordra Bibliotek")
	if got := h.caseByNumber(c.Number); got.Unit != "Bibliotek" {
		t.Errorf("unit after #vidarebefordra = %s, want Bibliotek", got.Unit)
	}
	h.staffCommand(c, "c5@exempelby.se", "#stäng nu")
	last := h.outbox(synpunkt.KindNotice)
	if body := bodyText(t, last[len(last)-1].Payload); !strings.Contains(body, "förstods inte") {
		t.Errorf("a bad command got no explanation: %s", body)
	}
}

func TestMailCommandsFromOutsidersAreNotObeyed(t *testing.T) {
	h := newHarness(t)
	c := h.snowCase("out@example.net", stockholmTime(t, "2026-11-23 10:00"))
	// The case's own citizen (allowed to add to the case) cannot close it.
	h.handle(citizen("o1@example.net", "per@example.net", "Re: ["+c.Number+"]", "#avsluta\nJag ger upp."))
	h.wantState(c.Number, synpunkt.StatusOpen, synpunkt.DocKomplettering)
	if n := len(h.outbox(synpunkt.KindNotice)); n != 0 {
		t.Errorf("%d acknowledgements sent to an outsider, want none", n)
	}
}

func TestAnonymousCloseNeedsNote(t *testing.T) {
	h := newHarness(t)
	res := h.handle(msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt", "Message-ID: <anon-close@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Anonym: Ja\nMeddelande: Gatlyktan på Storgatan är trasig."))
	ctx := context.Background()
	if _, err := h.work.Close(ctx, res.Case, "", "cli"); !errors.Is(err, ErrNoteRequired) {
		t.Fatalf("Close(anonymous, no note) = %v, want ErrNoteRequired", err)
	}
	if c := h.caseByNumber(res.Case); c.Status != synpunkt.StatusOpen {
		t.Fatalf("refused close changed the status to %s", c.Status)
	}
	if _, err := h.work.Close(ctx, res.Case, "Lampan är bytt.", "cli"); err != nil {
		t.Fatalf("Close(anonymous, note) = %v", err)
	}
	if n := len(h.outbox(synpunkt.KindClose)); n != 0 {
		t.Errorf("anonymous case got %d closing notices, want 0", n)
	}
	// By mail: the staff member is told why.
	res2 := h.handle(msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt", "Message-ID: <anon-close2@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Anonym: Ja\nMeddelande: Klotter på busskuren vid torget."))
	h.handle(citizen("anon-cmd@exempelby.se", "gatuchef@exempelby.se", "["+res2.Case+"]", "#avsluta", "Cc: "+h.p.threads.ReplyAddress(res2.Case)))
	if c := h.caseByNumber(res2.Case); c.Status != synpunkt.StatusOpen {
		t.Errorf("#avsluta without note closed an anonymous case")
	}
	acks := h.outbox(synpunkt.KindNotice)
	if len(acks) == 0 || !strings.Contains(bodyText(t, acks[len(acks)-1].Payload), "anonymt") {
		t.Errorf("no explanation sent for the refused #avsluta")
	}
}

func TestCloseNotifiesBySMS(t *testing.T) {
	h := newHarness(t)
	res := h.handle(msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt", "Message-ID: <sms-close@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
		"Telefon: 070-555 12 34\nMeddelande: När öppnar simhallen?"))
	if _, err := h.work.Close(context.Background(), res.Case, "Öppettiderna finns på webben.", "cli"); err != nil {
		t.Fatal(err)
	}
	closing := h.outbox(synpunkt.KindClose)
	if len(closing) != 1 || closing[0].Channel != "sms" || closing[0].To != "+46705551234" || !strings.Contains(string(closing[0].Payload), res.Case) {
		t.Errorf("closing notice = %+v, want one SMS to +46705551234 naming the case", closing)
	}
}

func TestDigest(t *testing.T) {
	h := newHarness(t)
	h.opts(func(o *Options) { o.DigestTime = "07:30" })
	h.snowCase("dig1@example.net", stockholmTime(t, "2026-11-16 10:00"))
	h.snowCase("dig2@example.net", stockholmTime(t, "2026-11-20 10:00"))
	h.deadlines(stockholmTime(t, "2026-11-20 12:00")) // escalations for the first case
	ctx := context.Background()
	// Saturday: no digest; Monday 07:29: not yet; 07:30: one; again: none.
	for _, s := range []struct {
		at   string
		want bool
	}{{"2026-11-21 08:00", false}, {"2026-11-23 07:29", false}, {"2026-11-23 07:30", true}, {"2026-11-23 09:00", false}, {"2026-11-24 07:45", true}} {
		h.now = stockholmTime(t, s.at)
		sent, err := h.work.Digest(ctx, h.now)
		if err != nil || sent != s.want {
			t.Errorf("Digest(%s) = %v, %v; want %v", s.at, sent, err, s.want)
		}
	}
	d := h.outbox(synpunkt.KindNotice)
	if len(d) != 2 || d[0].To != "kontaktcenter.chef@exempelby.se" {
		t.Fatalf("digests = %+v, want 2 to the contact center's manager", d)
	}
	body := bodyText(t, d[0].Payload)
	for _, want := range []string{"Gatu- och parkenheten", "efter frist (1)", "Eskaleringar sedan förra översikten (2)"} {
		if !strings.Contains(body, want) {
			t.Errorf("digest lacks %q:\n%s", want, body)
		}
	}
}

// bodyText decodes a composed mail's text.
func bodyText(t *testing.T, payload []byte) string {
	t.Helper()
	m, err := mimeparse.Parse(payload)
	if err != nil {
		t.Fatalf("composed mail does not parse: %v", err)
	}
	return m.Text
}

// With organisation.authserv_id set, only mail the organisation's own mail
// server authenticated counts as staff: a forged From cannot close a case.
func TestForgedStaffMailIsNotObeyed(t *testing.T) {
	h := newHarness(t)
	h.opts(func(o *Options) { o.AuthservID = "mx.exempelby.se" })
	c := h.snowCase("forge@example.net", stockholmTime(t, "2026-11-23 10:00"))
	forged := citizen("f1@evil.example", "gatuchef@exempelby.se", "Re: ["+c.Number+"]", "#avsluta",
		"Authentication-Results: mx.evil.example; dmarc=pass header.from=exempelby.se")
	h.handle(forged)
	if got := h.caseByNumber(c.Number); got.Status != synpunkt.StatusOpen {
		t.Fatalf("a forged staff mail closed the case")
	}
	if n := len(h.outbox(synpunkt.KindNotice)) - countTo(h.outbox(synpunkt.KindNotice), "kvalitet@exempelby.se"); n != 0 {
		t.Errorf("%d acknowledgements sent for a forged command", n)
	}
	real := citizen("f2@exempelby.se", "gatuchef@exempelby.se", "Re: ["+c.Number+"]", "#avsluta Plogat.",
		"Authentication-Results: mx.exempelby.se;\r\n\tspf=pass smtp.mailfrom=exempelby.se;\r\n\tdmarc=pass (p=reject) header.from=exempelby.se",
		"Received: from mail.exempelby.se by mx.exempelby.se; Mon, 23 Nov 2026 09:00:00 +0100")
	h.handle(real)
	if got := h.caseByNumber(c.Number); got.Status != synpunkt.StatusClosed {
		t.Errorf("an authenticated staff mail did not close the case")
	}
}

func countTo(rows []store.OutboxRow, to string) int {
	n := 0
	for _, r := range rows {
		if r.To == to {
			n++
		}
	}
	return n
}

// TestEscalationTellsTheUnitManager: Bygglovsenheten forwards to its
// designated handler; when the first response is missing, the chain goes
// handler → unit manager → escalate_to[0] → escalate_to[1], once each.
func TestEscalationTellsTheUnitManager(t *testing.T) {
	h := newHarness(t)
	at := stockholmTime(t, "2026-11-23 10:00") // Monday
	h.now = at
	res := h.handle(citizen("bygg@example.net", "Per <per@example.net>", "Bygglov",
		"Jag sökte bygglov för ett garage i augusti och har inte hört något. Bygglovsenheten svarar inte."),
		Source{Name: "test", ReceivedAt: at})
	c := h.caseByNumber(res.Case)
	if c.Unit != "Bygglovsenheten" || c.Handler != "bygglov@exempelby.se" {
		t.Fatalf("case routed to %s, handler %s; want Bygglovsenheten, bygglov@exempelby.se", c.Unit, c.Handler)
	}
	steps := []struct {
		at   string
		want []string
	}{
		{"2026-11-25 10:00", []string{"first/reminder→bygglov@exempelby.se"}},
		{"2026-11-26 10:00", []string{"first/escalation/manager→bygglovschef@exempelby.se"}},
		{"2026-11-27 10:00", []string{"first/escalation/1→samhallsbyggnadschef@exempelby.se"}},
		{"2026-11-30 10:00", []string{"first/escalation/2→kommundirektor@exempelby.se"}},
		{"2026-12-01 10:00", nil},
	}
	for _, s := range steps {
		got := h.deadlines(stockholmTime(t, s.at))
		if strings.Join(got, ",") != strings.Join(s.want, ",") {
			t.Errorf("deadlines at %s = %v, want %v", s.at, got, s.want)
		}
	}
	esc := h.outbox(synpunkt.KindEscalation)
	if len(esc) != 3 || esc[0].To != "bygglovschef@exempelby.se" {
		t.Fatalf("escalations = %+v, want 3, the first to the unit manager", esc)
	}
	if body := bodyText(t, esc[0].Payload); !strings.Contains(body, c.Number) {
		t.Errorf("manager's escalation does not name the case:\n%s", body)
	}
}

// TestReceiptPromisesTheCaseDeadlines: with [[deadlines.overrides]] giving
// Felanmälan 24 hours and 5 working days, the receipt and the forward state
// those deadlines as days, not the default two and ten working days.
func TestReceiptPromisesTheCaseDeadlines(t *testing.T) {
	h := newHarness(t)
	h.cfg.Deadlines.Overrides = []config.DeadlineOverride{{Category: "Felanmälan", FirstResponse: config.Duration{Duration: 24 * time.Hour}, FinalAnswerDays: 5}}
	h.p.policy = mustPolicy(t, h.cfg.Deadlines, h.cfg.Units)
	at := stockholmTime(t, "2026-12-07 10:00") // Monday
	h.now = at
	res := h.handle(citizen("lykta@example.net", "Per <per@example.net>", "Trasig gatlykta",
		"Gatlyktan på Storgatan 3 är trasig och lyser inte."), Source{Name: "test", ReceivedAt: at})
	c := h.caseByNumber(res.Case)
	if c.Category != synpunkt.DocFelanmalan {
		t.Fatalf("category = %s, want Felanmälan", c.Category)
	}
	for _, kind := range []string{synpunkt.KindReceipt, synpunkt.KindForward} {
		rows := h.outbox(kind)
		if len(rows) != 1 {
			t.Fatalf("%s rows = %d, want 1", kind, len(rows))
		}
		body := bodyText(t, rows[0].Payload)
		for _, want := range []string{"första besked senast tisdag 8 december", "senast måndag 14 december"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q:\n%s", kind, want, body)
			}
		}
		if strings.Contains(body, "två arbetsdagar") || strings.Contains(body, "tio arbetsdagar") {
			t.Errorf("%s promises the default deadlines:\n%s", kind, body)
		}
	}
}

// TestBacklogIsNotForwarded: a case nobody was sent — an old message found
// on first start, or any import with --no-notify — gets no forward and no
// deadlines, so no reminder or escalation ever follows; a recent backlog
// message is forwarded and its clocks run.
func TestBacklogIsNotForwarded(t *testing.T) {
	h := newHarness(t)
	old := h.handle(citizen("old-fwd@example.com", "a@example.com", "Snöröjning", "Snöröjningen på Storgatan fungerar inte."),
		Source{Name: "imap", ReceivedAt: h.now.Add(-8 * 24 * time.Hour), Backlog: true})
	silent := h.handle(citizen("silent-fwd@example.com", "c@example.com", "Snöröjning", "Snöröjningen på Torget fungerar inte."),
		Source{Name: "file", Backlog: true, NoNotify: true})
	recent := h.handle(citizen("recent-fwd@example.com", "b@example.com", "Snöröjning", "Snöröjningen på Kyrkvägen fungerar inte."),
		Source{Name: "imap", ReceivedAt: h.now.Add(-2 * 24 * time.Hour), Backlog: true})
	for _, n := range []string{old.Case, silent.Case} {
		c := h.caseByNumber(n)
		if !c.FirstResponseDue.IsZero() || !c.FinalDue.IsZero() {
			t.Errorf("%s (never forwarded) has deadlines %s / %s", n, c.FirstResponseDue, c.FinalDue)
		}
		if ev, _ := h.st.Events(context.Background(), c.ID); !hasEvent(ev, EventNotForwarded) {
			t.Errorf("%s has no %s event", n, EventNotForwarded)
		}
	}
	if c := h.caseByNumber(recent.Case); c.FirstResponseDue.IsZero() {
		t.Errorf("recent backlog case %s has no deadline", recent.Case)
	}
	fwd := h.outbox(synpunkt.KindForward)
	if len(fwd) != 1 || fwd[0].CaseID != h.caseByNumber(recent.Case).ID {
		t.Errorf("forwards = %d, want one, for the recent case", len(fwd))
	}
	got := h.deadlines(h.now.AddDate(1, 0, 0))
	for _, a := range got {
		if !strings.HasPrefix(a, "first/") && !strings.HasPrefix(a, "final/") {
			t.Errorf("odd action %s", a)
		}
	}
	if len(got) != 4 {
		t.Errorf("deadline actions a year later = %v, want the recent case's 4 only", got)
	}
}

// TestNumberedByRegistration: an imported message claiming "Date: 1970"
// (or any year) is numbered by the year synpunkt registered it, and
// numbers follow registration order whatever the claimed dates.
func TestNumberedByRegistration(t *testing.T) {
	h := newHarness(t) // registering on 2026-11-23
	dated := func(id, date string) []byte {
		return msg([]string{"From: a@example.com", "To: synpunkter@exempelby.se", "Subject: Snöröjning", "Date: " + date,
			"Message-ID: <" + id + ">", "Content-Type: text/plain; charset=utf-8"}, "Snöröjningen på Storgatan fungerar inte.")
	}
	imp := Source{Name: "file", Backlog: true, NoNotify: true}
	tests := []struct{ id, date, want string }{
		{"epoch@example.com", "Thu, 01 Jan 1970 00:00:00 +0000", "SYN-2026-00001"},
		{"y2k@example.com", "Fri, 31 Dec 1999 23:59:59 +0100", "SYN-2026-00002"},
		{"lastyear@example.com", "Mon, 15 Dec 2025 09:00:00 +0100", "SYN-2026-00003"},
		{"future@example.com", "Fri, 01 Jan 2038 00:00:00 +0100", "SYN-2026-00004"},
	}
	for _, tt := range tests {
		if res := h.handle(dated(tt.id, tt.date), imp); res.Case != tt.want {
			t.Errorf("import of Date: %s = %s, want %s", tt.date, res.Case, tt.want)
		}
	}
	epoch := h.caseByNumber("SYN-2026-00001")
	if d := epoch.Documents[0]; !d.ClaimedDate.Equal(time.Unix(0, 0)) {
		t.Errorf("document claimed date = %s, want 1970-01-01 kept as a fact", d.ClaimedDate)
	}
	h.now = stockholmTime(t, "2027-01-01 00:10")
	if res := h.handle(dated("newyear@example.com", "Wed, 30 Dec 2026 12:00:00 +0100"), imp); res.Case != "SYN-2027-00001" {
		t.Errorf("registered on 1 January 2027 = %s, want SYN-2027-00001", res.Case)
	}
	// IMAP: the server's INTERNALDATE decides received time and the
	// backlog rule; a forged old Date header changes nothing but the fact.
	h.now = stockholmTime(t, "2027-01-04 10:00")
	res := h.handle(dated("forged@example.com", "Thu, 01 Jan 1970 00:00:00 +0000"), Source{Name: "imap", ReceivedAt: h.now.Add(-time.Hour), Backlog: true})
	c := h.caseByNumber(res.Case)
	if res.Case != "SYN-2027-00002" || !c.ReceivedAt.Equal(h.now.Add(-time.Hour)) || c.FirstResponseDue.IsZero() || len(h.outbox(synpunkt.KindForward)) != 1 {
		t.Errorf("IMAP message with Date: 1970 = %s received %s, deadline %s, %d forwards; want SYN-2027-00002 received at INTERNALDATE, forwarded, clocks running",
			res.Case, c.ReceivedAt, c.FirstResponseDue, len(h.outbox(synpunkt.KindForward)))
	}
	if !c.Documents[0].ClaimedDate.Equal(time.Unix(0, 0)) {
		t.Errorf("IMAP document claimed date = %s, want 1970-01-01", c.Documents[0].ClaimedDate)
	}
}

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
