package health

import (
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/exempelby/synpunkt/mailbox"
	"github.com/exempelby/synpunkt/store"
)

// New registers the store's collector without reading the store (its
// counts scan every case: only a scrape may pay for them), and every
// metric a scrape then sends is one Describe named.
func TestRegisteringReadsNothingAndScrapesAreDescribed(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "synpunkt.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var reads atomic.Int64
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	s := New(Sources{
		Store:    st,
		Intake:   func() (mailbox.State, bool) { return mailbox.State{Connected: true}, true },
		Paused:   func() []string { return []string{"sms"} },
		Channels: []string{"email", "sms"},
		Now:      func() time.Time { reads.Add(1); return at },
	})
	if n := reads.Load(); n != 0 {
		t.Errorf("New read the sources %d times before any scrape, want 0", n)
	}
	described := map[string]bool{}
	ch := make(chan *prometheus.Desc, 64)
	(&collector{s: s}).Describe(ch)
	close(ch)
	for d := range ch {
		described[d.String()] = true
	}
	mch := make(chan prometheus.Metric, 256)
	(&collector{s: s}).Collect(mch)
	close(mch)
	var sent int
	for m := range mch {
		sent++
		if !described[m.Desc().String()] {
			t.Errorf("Collect sent %s, which Describe does not name", m.Desc())
		}
	}
	if sent == 0 || reads.Load() == 0 {
		t.Fatalf("Collect sent %d metrics and read the clock %d times; want some of each", sent, reads.Load())
	}
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	for _, name := range []string{"synpunkt_imap_connected 1", `synpunkt_channel_paused{channel="sms"} 1`, "synpunkt_outbox_oldest_unsent_age_seconds 0"} {
		if !strings.Contains(string(body), name) {
			t.Errorf("/metrics lacks %q:\n%s", name, body)
		}
	}
	if rec.Code != 200 || !slices.Contains(strings.Split(string(body), "\n"), "# TYPE synpunkt_imap_connected gauge") {
		t.Errorf("/metrics = %d, want 200 with synpunkt_imap_connected a gauge", rec.Code)
	}
}
