package mailbox

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestDispositionLogsAsWord: the JSON log says "registered", not 1.
func TestDispositionLogsAsWord(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&b, nil))
	for _, d := range []Disposition{Keep, Registered, Quarantined} {
		log.Info("message moved", keyDisposition, d)
	}
	for _, want := range []string{`"disposition":"keep"`, `"disposition":"registered"`, `"disposition":"quarantined"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON log lacks %s:\n%s", want, b.String())
		}
	}
}
