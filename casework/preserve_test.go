package casework

import (
	"context"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// #bevara in a staff reply marks the case to be preserved, with the
// reason kept apart from the event row, and says so; a second one says it
// already was.
func TestPreserveByStaffMail(t *testing.T) {
	h := newHarness(t)
	c := h.snowCase("bev@example.net", stockholmTime(t, "2026-11-23 10:00"))
	h.staffCommand(c, "b1@exempelby.se", "#bevara Tillför sakuppgifter om vinterväghållningen.")
	rc, err := h.st.RetentionCases(context.Background())
	if err != nil || len(rc) != 1 || !rc[0].Preserved {
		t.Fatalf("RetentionCases = %+v, %v, want the case preserved", rc, err)
	}
	events, _ := h.st.Events(context.Background(), c.ID)
	var reason string
	for _, e := range events {
		if e.Kind == "preserved" {
			reason = e.Detail
		}
	}
	if reason != "Tillför sakuppgifter om vinterväghållningen." {
		t.Errorf("preserved event detail = %q", reason)
	}
	h.staffCommand(c, "b2@exempelby.se", "#bevara")
	acks := h.outbox(synpunkt.KindNotice)
	if len(acks) != 2 || !strings.Contains(bodyText(t, acks[0].Payload), "bevaras") || !strings.Contains(bodyText(t, acks[1].Payload), "redan") {
		t.Errorf("acknowledgements = %+v", acks)
	}
	if _, err := h.st.Purge(context.Background(), c.ID, store.Parts, "test", "test"); err == nil {
		t.Errorf("Purge of a preserved case succeeded")
	}
}
