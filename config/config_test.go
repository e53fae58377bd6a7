package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestExampleConfigParses(t *testing.T) {
	t.Setenv("SYNPUNKT_IMAP_PASSWORD", "imap-secret")
	t.Setenv("SYNPUNKT_SMTP_PASSWORD", "smtp-secret")
	t.Setenv("SYNPUNKT_TWILIO_TOKEN", "twiliosecret0123")
	c, err := Load("../config.example.toml")
	if err != nil {
		t.Fatalf("Load(config.example.toml) = %v", err)
	}
	if c.IMAP.Password != "imap-secret" || c.SMTP.Password != "smtp-secret" || c.SMS.AuthToken != "twiliosecret0123" {
		t.Errorf("secrets not resolved from env: imap=%q smtp=%q sms=%q", c.IMAP.Password, c.SMTP.Password, c.SMS.AuthToken)
	}
	if got := c.Units.Default().Name; got != "Kontaktcenter" {
		t.Errorf("DefaultUnit() = %q, want Kontaktcenter", got)
	}
	if c.Intake.OldMessageAge.Duration != 7*24*time.Hour {
		t.Errorf("old_message_age = %v, want 168h", c.Intake.OldMessageAge)
	}
	if len(c.Units[1].Topics) != 1 || c.Units[1].Topics[0].Handler != "klotter@exempelby.se" {
		t.Errorf("units[1].topics = %+v", c.Units[1].Topics)
	}
}

const minimal = `
[organisation]
name = "Exempelby kommun"
domains = ["exempelby.se"]
mailbox_address = "synpunkter@exempelby.se"
[imap]
address = "127.0.0.1:143"
tls = "none"
[smtp]
address = "127.0.0.1:25"
tls = "none"
from = "Exempelby kommun <synpunkter@exempelby.se>"
[[units]]
name = "Kontaktcenter"
committee = "Kommunstyrelsen"
manager = "kc@exempelby.se"
default = true
`

func TestMinimalConfigDefaults(t *testing.T) {
	c, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatalf("Parse(minimal) = %v", err)
	}
	if c.IMAP.Mailbox != "INBOX" || c.IMAP.RegisteredMailbox != "Registrerade" || c.IMAP.QuarantineMailbox != "Karantän" {
		t.Errorf("IMAP mailbox defaults = %q %q %q", c.IMAP.Mailbox, c.IMAP.RegisteredMailbox, c.IMAP.QuarantineMailbox)
	}
	if c.Receipts.MaxPerSenderPerDay != 10 || c.Organisation.CaseNumberFormat != "SYN-{year}-{seq:5}" {
		t.Errorf("defaults not applied: %+v %+v", c.Receipts, c.Organisation)
	}
}

func TestValidationNamesTheKey(t *testing.T) {
	tests := []struct {
		name, edit, field string
	}{
		{"bad smtp tls", `tls = "none"` + "\nfrom", "smtp.tls"},
		{"unknown key", "[store]\npaht = \"x\"", "store.paht"},
		{"no default unit", "default = true", "units"},
		{"bad manager", `manager = "kc@exempelby.se"`, "units[0].manager"},
		{"idle too long", "[imap]\naddress", "imap.idle_restart"},
		{"missing env", "[smtp]\naddress", "smtp.password_env"},
		{"negative burst", "[imap]\naddress", "imap.burst_interval"},
		{"burst window shorter than its interval", "[imap]\naddress", "imap.burst_window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal
			switch tt.field {
			case "smtp.tls":
				src = strings.Replace(src, "tls = \"none\"\nfrom", "tls = \"ssl\"\nfrom", 1)
			case "store.paht":
				src += "\n" + tt.edit + "\n"
			case "units":
				src = strings.Replace(src, tt.edit, "default = false", 1)
			case "units[0].manager":
				src = strings.Replace(src, tt.edit, `manager = "Kalle Anka"`, 1)
			case "imap.idle_restart":
				src = strings.Replace(src, tt.edit, "[imap]\nidle_restart = \"30m\"\naddress", 1)
			case "imap.burst_interval":
				src = strings.Replace(src, tt.edit, "[imap]\nburst_interval = \"-1s\"\naddress", 1)
			case "imap.burst_window":
				src = strings.Replace(src, tt.edit, "[imap]\nburst_interval = \"1s\"\nburst_window = \"500ms\"\naddress", 1)
			case "smtp.password_env":
				src = strings.Replace(src, tt.edit, "[smtp]\nusername = \"u\"\npassword_env = \"SYNPUNKT_TEST_UNSET_VAR\"\naddress", 1)
			}
			_, err := Parse([]byte(src))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Parse() error = %v, want *ValidationError for %s", err, tt.field)
			}
			if ve.Field != tt.field {
				t.Errorf("ValidationError.Field = %q, want %q (err: %v)", ve.Field, tt.field, err)
			}
		})
	}
}

func TestSecretFromFile(t *testing.T) {
	f := t.TempDir() + "/pw"
	if err := os.WriteFile(f, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(minimal, "[smtp]\n", "[smtp]\nusername = \"u\"\npassword_file = \""+f+"\"\n", 1)
	c, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse() = %v", err)
	}
	if c.SMTP.Password != "s3cret" {
		t.Errorf("SMTP.Password = %q, want s3cret", c.SMTP.Password)
	}
}

func TestIsOwnDomain(t *testing.T) {
	c, _ := Parse([]byte(minimal))
	for addr, want := range map[string]bool{
		"chef@exempelby.se": true, "a@skola.exempelby.se": true, "a@inteexempelby.se": false, "x@gmail.com": false, "nope": false,
	} {
		if got := c.Organisation.Domains.Own(addr); got != want {
			t.Errorf("IsOwnDomain(%q) = %v, want %v", addr, got, want)
		}
	}
}
