package casework

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/lifecycle"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/testkit"
)

// writeTemp writes content to a file named name in a fresh temporary
// directory and returns its path, for tests that import from files.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// stockholmTime returns a wall-clock time in Stockholm.
func stockholmTime(t *testing.T, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return testkit.At(t, loc, s)
}

// mustPolicy builds the deadline policy of d and us.
func mustPolicy(t *testing.T, d config.Deadlines, us synpunkt.Units) *lifecycle.Policy {
	t.Helper()
	p, err := lifecycle.NewPolicy(d, us)
	if err != nil {
		t.Fatalf("lifecycle.NewPolicy = %v", err)
	}
	return p
}
