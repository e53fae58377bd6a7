package casework

import (
	"testing"

	"github.com/exempelby/synpunkt"
)

func TestReplyAddressRoundTrip(t *testing.T) {
	th := NewThreads("Synpunkter@Exempelby.se", []byte("key"), "SYN-{year}-{seq:5}")
	addr := th.ReplyAddress("SYN-2026-00042")
	num, signed, ok := th.FromAddresses([]synpunkt.Address{{Addr: "chef@exempelby.se"}, {Addr: addr}})
	if !ok || !signed || num != "SYN-2026-00042" {
		t.Errorf("FromAddresses(%q) = %q, %v, %v; want SYN-2026-00042, signed", addr, num, signed, ok)
	}
	other := NewThreads("synpunkter@exempelby.se", []byte("other key"), "SYN-{year}-{seq:5}")
	if _, signed, _ := other.FromAddresses([]synpunkt.Address{{Addr: addr}}); signed {
		t.Error("a token signed with another key was accepted")
	}
	forged := "synpunkter+syn-2026-00043." + addr[len("synpunkter+SYN-2026-00042."):]
	if num, signed, ok := th.FromAddresses([]synpunkt.Address{{Addr: forged}}); !ok || signed || num != "SYN-2026-00043" {
		t.Errorf("token of another case: %q, %v, %v; want the number, unsigned", num, signed, ok)
	}
	if _, _, ok := th.FromAddresses([]synpunkt.Address{{Addr: "synpunkter+gata@exempelby.se"}}); ok {
		t.Error("a unit alias was taken for a case")
	}
	if d := th.PlusDetail([]synpunkt.Address{{Addr: "synpunkter+gata@exempelby.se"}}); d != "gata" {
		t.Errorf("PlusDetail = %q, want gata", d)
	}
}

func TestFromSubject(t *testing.T) {
	th := NewThreads("synpunkter@exempelby.se", []byte("k"), "SYN-{year}-{seq:5}")
	for subject, want := range map[string]string{
		"Re: [SYN-2026-00042] Snöröjning": "SYN-2026-00042",
		"Svar: syn-2026-00042":            "SYN-2026-00042",
		"SYN-2026-0004":                   "",
		"XSYN-2026-00042":                 "",
		"Ang. SYN-2026-000421":            "",
		"Hej":                             "",
	} {
		got, _ := th.FromSubject(subject)
		if got != want {
			t.Errorf("FromSubject(%q) = %q, want %q", subject, got, want)
		}
	}
	kommun := NewThreads("synpunkter@exempelby.se", []byte("k"), "KS {year}/{seq}")
	if got, _ := kommun.FromSubject("Angående KS 2026/17, tack"); got != "KS 2026/17" {
		t.Errorf("custom format: %q, want KS 2026/17", got)
	}
}
