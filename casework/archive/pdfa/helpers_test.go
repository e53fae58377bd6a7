package pdfa

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/exempelby/synpunkt/internal/testkit"
)

// render writes d as a PDF file in a temporary directory and returns its
// path, for the external tools to read.
func render(t *testing.T, d Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// toolOutput runs the external tool name (skipping the test when it is
// missing; pkg installs it) with args and returns what it printed; the
// test fails when the tool does.
func toolOutput(t *testing.T, name, pkg string, args ...string) string {
	t.Helper()
	out, err := exec.Command(testkit.Tool(t, name, pkg), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}

// pdfToText is the text pdftotext extracts from the PDF file p.
func pdfToText(t *testing.T, p string) string {
	t.Helper()
	return toolOutput(t, "pdftotext", "poppler-utils", "-enc", "UTF-8", p, "-")
}
