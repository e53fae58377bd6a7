package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/internal/testkit"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

func mustStore(t *testing.T, now *time.Time) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), store.Options{Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openCase registers a complaint with a reply and closes it.
func openCase(t *testing.T, st *store.Store, key string, at time.Time) synpunkt.Case {
	t.Helper()
	ctx := context.Background()
	raw := []byte("From: Anna <anna@example.net>\r\nSubject: Klagomål på snöröjningen\r\nMessage-ID: <" + key + "@example.net>\r\n\r\nIngen har plogat på Storgatan & Torget <på en vecka>.\r\n")
	c, err := st.OpenCase(ctx, store.NewCase{
		Intake:   store.Intake{Key: key, Source: "test", ReceivedAt: at, Raw: raw},
		Case:     synpunkt.Case{ReceivedAt: at, Category: synpunkt.DocKlagomal, Unit: "Gatu- och parkenheten", Committee: "Tekniska nämnden", InitiatedBy: synpunkt.RolePrivatperson, Description: "Snöröjning Storgatan & Torget"},
		Document: synpunkt.Document{Type: synpunkt.DocKlagomal, Direction: synpunkt.Inkommande, SenderRole: "Privatperson", ReceivedAt: at},
		Contact:  &store.Contact{Email: "anna@example.net"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reply := []byte("From: gatuchef@exempelby.se\r\nSubject: Re: Klagomål\r\nMessage-ID: <svar-" + key + "@exempelby.se>\r\n\r\nVi plogar i dag.\r\n")
	if _, err := st.AddDocument(ctx, c.ID, store.Intake{Key: "svar-" + key, Source: "test", ReceivedAt: at.Add(time.Hour), Raw: reply},
		synpunkt.Document{Type: synpunkt.DocSvar, Direction: synpunkt.Upprattad, SenderRole: "Gatu- och parkenheten", ReceivedAt: at.Add(time.Hour)}, "Vi plogar i dag.", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(ctx, c.ID, synpunkt.StatusClosed, nil, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestExportValidPackage writes a package of the preserved closed cases,
// validates its ERMS XML against the DILCIS Board's ERMS_v3.xsd with
// xmllint, checks every checksum the METS file lists, and marks the cases
// delivered so a second export writes nothing.
func TestExportValidPackage(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint missing (apt-get install libxml2-utils; .ci/run installs it)")
		}
		t.Skip("xmllint missing: apt-get install libxml2-utils")
	}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, workday.Stockholm)
	st := mustStore(t, &now)
	ctx := context.Background()
	a := openCase(t, st, "a", now)
	b := openCase(t, st, "b", now)
	openCase(t, st, "c", now) // closed but not preserved: stays
	if err := st.Preserve(ctx, a.ID, "cli", "", "principiellt viktig"); err != nil {
		t.Fatal(err)
	}
	if err := st.Preserve(ctx, b.ID, "synpunkt", "3.2.1.2", ""); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(3, 0, 1)
	out := t.TempDir()
	res, err := Export(ctx, st, now, out, Options{Organisation: "Exempelby kommun", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cases) != 2 || res.Cases[0] != a.Number || res.Cases[1] != b.Number {
		t.Fatalf("exported %v, want %s and %s", res.Cases, a.Number, b.Number)
	}
	var tree []string
	filepath.Walk(res.Package, func(p string, info os.FileInfo, err error) error {
		rel, _ := filepath.Rel(out, p)
		tree = append(tree, rel)
		return err
	})
	t.Logf("package tree:\n%s", strings.Join(tree, "\n"))

	ermsPath := filepath.Join(res.Package, "metadata", "descriptive", "erms.xml")
	cmd := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "ERMS_v3.xsd"), ermsPath)
	if outb, err := cmd.CombinedOutput(); err != nil {
		b, _ := os.ReadFile(ermsPath)
		t.Fatalf("xmllint --schema ERMS_v3.xsd: %v\n%s\n%s", err, outb, b)
	}
	metsB, err := os.ReadFile(filepath.Join(res.Package, "METS.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if outb, err := exec.Command(xmllint, "--noout", filepath.Join(res.Package, "METS.xml")).CombinedOutput(); err != nil {
		t.Fatalf("METS.xml is not well-formed: %s", outb)
	}
	files := regexp.MustCompile(`CHECKSUM="([0-9a-f]{64})" CHECKSUMTYPE="SHA-256"><mets:FLocat [^>]*xlink:href="([^"]+)"`).FindAllStringSubmatch(string(metsB), -1)
	if len(files) != 9 { // 2 cases × 2 documents × (.eml + .pdf) + erms.xml
		t.Fatalf("METS lists %d files, want 9:\n%s", len(files), metsB)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(res.Package, filepath.FromSlash(f[2])))
		if err != nil {
			t.Fatal(err)
		}
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != f[1] {
			t.Errorf("checksum of %s = %x, METS says %s", f[2], h, f[1])
		}
	}
	// Each record names its original and its rendition, and they exist.
	ermsB, _ := os.ReadFile(ermsPath)
	for _, m := range regexp.MustCompile(`<appendix [^>]*path="([^"]+)"`).FindAllStringSubmatch(string(ermsB), -1) {
		if _, err := os.Stat(filepath.Join(res.Package, filepath.FromSlash(m[1]))); err != nil {
			t.Errorf("ERMS appendix %s: %v", m[1], err)
		}
	}
	if n := strings.Count(string(ermsB), `fileFormat="application/pdf (PDF/A-2b)"`); n != 4 {
		t.Errorf("ERMS names %d PDF/A renditions, want 4", n)
	}
	checkRendition(t, filepath.Join(res.Package, "representations", "rep2", "data", safe(a.Number), "01-"+safe(string(synpunkt.DocKlagomal))+".pdf"),
		[]string{"Klagomål, ärende " + a.Number + ", handling 1", "Från: Anna <anna@example.net>", "Ämne: Klagomål på snöröjningen", "Ingen har plogat på Storgatan & Torget <på en vecka>."})

	rcs, _ := st.RetentionCases(ctx)
	for _, rc := range rcs {
		if delivered := !rc.DeliveredAt.IsZero(); delivered != (rc.ID == a.ID || rc.ID == b.ID) {
			t.Errorf("%s delivered = %v", rc.Number, delivered)
		}
	}
	again, err := Export(ctx, st, now, out, Options{Organisation: "Exempelby kommun", Now: func() time.Time { return now.Add(time.Hour) }})
	if err != nil || again.Package != "" {
		t.Errorf("second export = %+v, %v, want nothing", again, err)
	}
}

// checkRendition: qpdf finds no error in a rendition and pdftotext gives
// back each wanted line.
func checkRendition(t *testing.T, pdf string, want []string) {
	t.Helper()
	t.Run("qpdf", func(t *testing.T) {
		out, err := exec.Command(testkit.Tool(t, "qpdf", "qpdf"), "--check", pdf).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors found") {
			t.Fatalf("qpdf --check %s: %v\n%s", pdf, err, out)
		}
	})
	t.Run("pdftotext", func(t *testing.T) {
		out, err := exec.Command(testkit.Tool(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", pdf, "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext %s: %v\n%s", pdf, err, out)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(string(out), "\n") {
			lines[strings.TrimSpace(l)] = true
		}
		for _, w := range want {
			if !lines[w] {
				t.Errorf("pdftotext of the rendition lacks the line %q:\n%s", w, out)
			}
		}
	})
}
