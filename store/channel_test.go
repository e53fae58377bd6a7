package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
)

var recipientKeyTests = []struct{ in, want string }{
	{"anna@example.com", "anna@example.com"},
	{"Victim+1@Example.com", "victim@example.com"},
	{"victim+a+b@example.com", "victim@example.com"},
	{"+46705551234", "+46705551234"},
	{"no-at-sign", "no-at-sign"},
	{"plain@sub+domain.example", "plain@sub+domain.example"},
	{"åsa+x@Exempel.se", "åsa@exempel.se"},
}

func TestRecipientKey(t *testing.T) {
	for _, tt := range recipientKeyTests {
		if got := RecipientKey(tt.in); got != tt.want {
			t.Errorf("RecipientKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRecipientKeySQL holds the generated column and RecipientKey together.
func TestRecipientKeySQL(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	for _, tt := range recipientKeyTests {
		if err := s.Enqueue(ctx, 0, nil, []synpunkt.Notification{{Kind: "receipt", Channel: "email", From: "x@exempelby.se", To: tt.in, Payload: []byte("x")}}); err != nil {
			t.Fatal(err)
		}
		var key string
		if err := s.DB().QueryRowContext(ctx, "SELECT recipient_key FROM outbox WHERE recipient = ?", tt.in).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != RecipientKey(tt.in) {
			t.Errorf("recipient_key of %q = %q, RecipientKey = %q", tt.in, key, RecipientKey(tt.in))
		}
	}
}

func TestCountToSender(t *testing.T) {
	now := time.Date(2031, 5, 5, 10, 0, 0, 0, time.UTC)
	s := mustOpenStore(t, "", func() time.Time { return now })
	ctx := context.Background()
	out := []synpunkt.Notification{
		{Kind: "receipt", To: "Victim+1@Example.com"},
		{Kind: "notice", To: "victim+2@example.com"},
		{Kind: "forward", To: "victim@example.com"},
		{Kind: "receipt", To: "other@example.com"},
	}
	for _, o := range out {
		o.Channel, o.From, o.Payload = "email", "synpunkter@exempelby.se", []byte("x")
		if err := s.Enqueue(ctx, 0, nil, []synpunkt.Notification{o}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.CountToSender(ctx, "VICTIM@example.com", now.Add(-time.Hour), "receipt", "notice"); err != nil || n != 2 {
		t.Errorf("CountToSender(victim, receipt+notice) = %d, %v; want 2", n, err)
	}
	if n, _ := s.CountToSender(ctx, "victim+9@example.com", now.Add(time.Minute), "receipt", "notice"); n != 0 {
		t.Errorf("CountToSender after the window = %d, want 0", n)
	}
}

func TestCaseChannel(t *testing.T) {
	s := mustOpenStore(t, "", nil)
	ctx := context.Background()
	at := time.Date(2031, 5, 5, 10, 0, 0, 0, time.UTC)
	mail := mustOpenCase(t, s, newCase("ch-mail", at))
	nc := newCase("ch-phone", at)
	nc.Case.Channel = synpunkt.ChannelTelefon
	phone := mustOpenCase(t, s, nc)
	for _, tt := range []struct {
		number string
		want   synpunkt.Channel
	}{{mail.Number, synpunkt.ChannelEpost}, {phone.Number, synpunkt.ChannelTelefon}} {
		c, err := s.CaseByNumber(ctx, tt.number)
		if err != nil || c.Channel != tt.want {
			t.Errorf("CaseByNumber(%s).Channel = %q, %v; want %q", tt.number, c.Channel, err, tt.want)
		}
	}
}

// A database of schema 2 migrates: its cases came by mail, and its outbox
// rows count under their normalised recipient.
func TestMigrateSchema2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations[:2] {
		if _, err := db.Exec(m); err != nil {
			t.Fatalf("schema %d: %v", i+1, err)
		}
	}
	stmts := []string{
		"PRAGMA user_version = 2",
		`INSERT INTO cases(number, status, received_at, category, unit, committee, initiated_by, description, created_at)
			VALUES('SYN-2025-00001', 'öppet', '2025-01-01T10:00:00.000Z', 'Klagomål', 'U', 'N', 'Privatperson', 'x', '2025-01-01T10:00:00.000Z')`,
		`INSERT INTO outbox(kind, channel, sender, recipient, payload, next_attempt_at, created_at)
			VALUES('receipt', 'email', 's@exempelby.se', 'Per+old@Example.net', x'00', '2025-01-01T10:00:00.000Z', '2025-01-01T10:00:00.000Z')`,
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	os.Chmod(path, 0o600) // as an installed database is; Open refuses one others can read
	s := mustOpenStore(t, path, nil)
	ctx := context.Background()
	c, err := s.CaseByNumber(ctx, "SYN-2025-00001")
	if err != nil || c.Channel != synpunkt.ChannelEpost {
		t.Errorf("old case channel = %q, %v; want e-post", c.Channel, err)
	}
	since := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if n, err := s.CountToSender(ctx, "per@example.net", since, "receipt"); err != nil || n != 1 {
		t.Errorf("CountToSender(old row) = %d, %v; want 1", n, err)
	}
	var v int
	s.DB().QueryRow("PRAGMA user_version").Scan(&v)
	if v != len(migrations) {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}
}
