package casework

import (
	"context"
	"fmt"
	"testing"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// recipientsOf returns the To of each outbox row.
func recipientsOf(rows []store.OutboxRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.To)
	}
	return out
}

// A Reply-To in another domain than the From cannot aim the receipt, nor
// the closing notice, at someone else.
func TestReceiptGoesToTheAuthorNotAForeignReplyTo(t *testing.T) {
	h := newHarness(t)
	res := h.handle(citizen("mal1@evil.example", "Mallory <mallory@evil.example>", "Snöröjning",
		"Snöröjningen på Storgatan fungerar inte.", "Reply-To: victim.citizen@example.com"))
	rc := h.outbox(synpunkt.KindReceipt)
	if len(rc) != 1 || rc[0].To != "mallory@evil.example" {
		t.Fatalf("receipts to %v, want one to mallory@evil.example (the author)", recipientsOf(rc))
	}
	if _, err := h.work.Close(context.Background(), res.Case, "Plogat.", "cli"); err != nil {
		t.Fatal(err)
	}
	closing := h.outbox(synpunkt.KindClose)
	if len(closing) != 1 || closing[0].To != "mallory@evil.example" {
		t.Errorf("closing notices to %v, want one to mallory@evil.example", recipientsOf(closing))
	}
}

// A Reply-To in the From's own domain is the author's choice and is kept.
func TestReceiptFollowsReplyToInTheSameDomain(t *testing.T) {
	h := newHarness(t)
	h.handle(citizen("same1@example.org", "Anna <anna@Example.org>", "Bibliotek",
		"Biblioteket borde ha längre öppettider.", "Reply-To: anna.svensson@example.org"))
	rc := h.outbox(synpunkt.KindReceipt)
	if len(rc) != 1 || rc[0].To != "anna.svensson@example.org" {
		t.Errorf("receipts to %v, want one to anna.svensson@example.org", recipientsOf(rc))
	}
}

// A receipt never goes to the mailbox itself or any of the organisation's
// domains, whatever the Reply-To or the form says.
func TestReceiptNeverToOwnAddress(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want []string // receipt recipients
	}{
		{"reply-to the mailbox", citizen("own1@example.net", "per@example.net", "Parkering", "Varför är parkeringen vid Torget så dyr?",
			"Reply-To: synpunkter@exempelby.se"), []string{"per@example.net"}},
		{"reply-to a mailbox plus-address", citizen("own2@example.net", "per@example.net", "Parkering", "Varför är parkeringen vid Torget så dyr?",
			"Reply-To: Synpunkter+x@Exempelby.se"), []string{"per@example.net"}},
		{"form naming the mailbox", msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt",
			"Message-ID: <own3@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
			"Namn: Sara\nE-post: synpunkter@exempelby.se\nMeddelande: Gatlyktan på Björkvägen är trasig."), nil},
		{"form naming an own-domain address", msg([]string{"From: noreply-e-tjanst@exempelby.se", "To: synpunkter@exempelby.se", "Subject: Ny synpunkt",
			"Message-ID: <own4@exempelby.se>", "Content-Type: text/plain; charset=utf-8"},
			"Namn: Sara\nE-post: kontakt@socialtjanst.exempelby.se\nTelefon: 070-555 12 34\nMeddelande: Gatlyktan på Björkvägen är trasig."), []string{"+46705551234"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if res := h.handle(tt.raw); res.Outcome != NewCase {
				t.Fatalf("outcome = %+v, want a case", res)
			}
			got := recipientsOf(h.outbox(synpunkt.KindReceipt))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("receipts to %v, want %v", got, tt.want)
			}
		})
	}
}

// The cap counts an address however it is spelt: case and +tags do not
// make a new sender.
func TestReceiptCapCountsNormalisedAddresses(t *testing.T) {
	h := newHarness(t)
	for i := range 15 {
		h.handle(citizen(fmt.Sprintf("tag%d@example.com", i), fmt.Sprintf("Victim+%d@Example.com", i), "Fråga",
			fmt.Sprintf("Fråga nummer %d om biblioteket?", i)))
	}
	if n := len(h.outbox(synpunkt.KindReceipt)); n != h.cfg.Receipts.MaxPerSenderPerDay {
		t.Errorf("receipts = %d, want the cap %d", n, h.cfg.Receipts.MaxPerSenderPerDay)
	}
	// The attack as reported: a foreign Reply-To with +tags.
	h2 := newHarness(t)
	for i := range 15 {
		h2.handle(citizen(fmt.Sprintf("rt%d@evil.example", i), "mallory@evil.example", "Fråga",
			fmt.Sprintf("Fråga nummer %d om biblioteket?", i), fmt.Sprintf("Reply-To: victim+%d@example.com", i)))
	}
	rc := h2.outbox(synpunkt.KindReceipt)
	if len(rc) != h2.cfg.Receipts.MaxPerSenderPerDay {
		t.Errorf("receipts = %d, want the cap %d", len(rc), h2.cfg.Receipts.MaxPerSenderPerDay)
	}
	for _, r := range rc {
		if r.To != "mallory@evil.example" {
			t.Errorf("receipt to %s, want only mallory@evil.example", r.To)
		}
	}
}

// Exclusion replies are automatic replies too: capped, and sharing the cap
// with receipts.
func TestExclusionRepliesAreCapped(t *testing.T) {
	h := newHarness(t)
	const from = "ordforande@exempelbypartiet.example"
	for i := range 15 {
		res := h.handle(citizen(fmt.Sprintf("pol%d@example.com", i), from, "Motion om cykelbanor",
			fmt.Sprintf("Partiet lämnar härmed motion nummer %d till fullmäktige om fler cykelbanor.", i)))
		if res.Outcome != Excluded {
			t.Fatalf("message %d = %+v, want excluded", i, res)
		}
	}
	notices := h.outbox(synpunkt.KindNotice)
	if n := countTo(notices, from); n != h.cfg.Receipts.MaxPerSenderPerDay {
		t.Errorf("exclusion replies = %d, want the cap %d", n, h.cfg.Receipts.MaxPerSenderPerDay)
	}
	if n := countTo(notices, "registrator@exempelby.se"); n != 15 {
		t.Errorf("forwards to registrator = %d, want 15 (every message is handed over)", n)
	}
	events, err := h.st.Events(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !hasEvent(events, "reply_suppressed") {
		t.Error("no reply_suppressed event for the capped replies")
	}

	mixed := newHarness(t)
	const who = "blandad@example.com"
	for i := range 6 {
		mixed.handle(citizen(fmt.Sprintf("mix-pol%d@example.com", i), who, "Motion",
			fmt.Sprintf("Partiet lämnar härmed motion nummer %d till fullmäktige om fler cykelbanor.", i)))
		mixed.handle(citizen(fmt.Sprintf("mix-q%d@example.com", i), who, "Fråga", fmt.Sprintf("Fråga nummer %d om biblioteket?", i)))
	}
	auto := countTo(mixed.outbox(synpunkt.KindNotice), who) + countTo(mixed.outbox(synpunkt.KindReceipt), who)
	if auto != mixed.cfg.Receipts.MaxPerSenderPerDay {
		t.Errorf("automatic replies to one sender = %d, want the cap %d", auto, mixed.cfg.Receipts.MaxPerSenderPerDay)
	}
}
