package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/classify/sample"
)

// check-config lists the built-in areas each unit got from its name and
// keywords, and warns for a unit that got none (issue #13).
func TestCheckConfigListsAreas(t *testing.T) {
	conf := string(sample.Municipality) + `
[[units]]
name = "Enhet X"
committee = "Nämnd Y"
manager = "x@exempelby.se"
keywords = ["foo"]
`
	p := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"check-config", "--config", p}, &out, &errb); code != 0 {
		t.Fatalf("check-config exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `unit "Bibliotek": areas bibliotek`) || !strings.Contains(out.String(), `unit "Gatu- och parkenheten": areas gata, park`) {
		t.Errorf("check-config stdout lists no areas:\n%s", out.String())
	}
	if !strings.Contains(errb.String(), `WARNING: units "Enhet X": no built-in topic area`) {
		t.Errorf("check-config did not warn for a unit without areas; stderr %q", errb.String())
	}
}
