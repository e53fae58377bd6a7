package daemon

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

// The daemon's start warns when organisation.authserv_id is unset: staff
// mail is then recognised by a forgeable From address.
func TestRunWarnsWithoutAuthservID(t *testing.T) {
	for _, tt := range []struct {
		authservID string
		warn       bool
	}{{"", true}, {"mx.exempelby.se", false}} {
		cfg, err := config.Parse(sample.Municipality)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Store.Path = filepath.Join(t.TempDir(), "s.db")
		cfg.Organisation.AuthservID = tt.authservID
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		fixed := func() time.Time { return time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC) }
		d, err := New(context.Background(), cfg, log, Options{Now: fixed})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		d.Run(ctx) // returns at once: only the start is looked at
		d.Close()
		got := strings.Contains(logs.String(), "level=WARN msg=\"UNSAFE CONFIGURATION\" warning=\"organisation.authserv_id: not set")
		if got != tt.warn {
			t.Errorf("authserv_id %q: warned = %v, want %v; log:\n%s", tt.authservID, got, tt.warn, logs.String())
		}
	}
}
