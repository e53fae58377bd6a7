package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelby/synpunkt/casework/retention"
	"github.com/exempelby/synpunkt/store"
)

// A citizen planted in the test database: every string must be gone from
// the database files after the purge.
type planted struct {
	name, pnr, phone, phoneE164, email string
}

var citizens = []planted{
	{"Gunilla Testberg", "850709-9805", "070-123 45 67", "+46701234567", "gunilla.testberg@example.net"},
	{"Holger Provsson", "19720315-4411", "073-987 65 43", "+46739876543", "holger.provsson@example.org"},
	{"Ingrid Exempelsdotter", "600101-1239", "076-555 12 34", "+46765551234", "ingrid.x@example.com"},
}

var plantSubjects = []string{"Gatlyktan lyser inte", "Snöröjning på Storgatan", "Fråga om bygglov"}

func (p planted) strings() []string {
	return []string{p.name, p.pnr, p.phone, p.phoneE164, p.email}
}

// plantCases imports one message per citizen (with a receipt queued to
// them), adds a note naming them and closes the case with a note naming
// them; it returns the case numbers.
func plantCases(t *testing.T, dir, cfg string, who []planted) []string {
	t.Helper()
	var numbers []string
	for i, p := range who {
		eml := filepath.Join(dir, fmt.Sprintf("p%d.eml", i))
		msg := fmt.Sprintf("From: %s <%s>\r\nTo: synpunkter@exempelby.se\r\nSubject: %s\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <plant-%d@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHej! Gatlyktan utanför mitt hus på Storgatan 3 är trasig sedan en vecka.\r\nMitt personnummer är %s och ni når mig på %s.\r\nMvh %s\r\n",
			p.name, p.email, plantSubjects[i%len(plantSubjects)], i, p.pnr, p.phone, p.name)
		if i%2 == 1 { // over the spool threshold: the original is kept as a file beside the database
			msg = spoolSized(msg, i)
		}
		if err := os.WriteFile(eml, []byte(msg), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, code := run(t, "import", "--config", cfg, eml); code != 0 {
			t.Fatal("import failed")
		}
	}
	var cases []caseJSON
	out, _ := run(t, "cases", "--config", cfg, "--json")
	if err := json.Unmarshal([]byte(out), &cases); err != nil || len(cases) != len(who) {
		t.Fatalf("cases = %s (%v), want %d", out, err, len(who))
	}
	for i, c := range cases {
		numbers = append(numbers, c.Number)
		if _, code := run(t, "note", "--config", cfg, c.Number, "Ringde", who[i].name, "på", who[i].phone); code != 0 {
			t.Fatal("note failed")
		}
		if _, code := run(t, "close", "--config", cfg, c.Number, "--note", "Lagat, sa "+who[i].name); code != 0 {
			t.Fatal("close failed")
		}
	}
	return numbers
}

// databaseBytes reads the database and its WAL and shared-memory files.
// spoolSized makes the plain-text message msg multipart/mixed with a
// base64 attachment, so that it is larger than the store's spool
// threshold; the text part stays as it was.
func spoolSized(msg string, i int) string {
	head, body, _ := strings.Cut(msg, "\r\n\r\n")
	head = strings.Replace(head, "Content-Type: text/plain; charset=utf-8", fmt.Sprintf("Content-Type: multipart/mixed; boundary=plant%d", i), 1)
	line := strings.Repeat("QUJD", 19) + "\r\n"
	att := strings.Repeat(line, store.DefaultSpoolThreshold/len(line)+100)
	return fmt.Sprintf("%s\r\n\r\n--plant%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n--plant%d\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"foto%d.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s--plant%d--\r\n",
		head, i, body, i, i, att, i)
}

// spoolFileBytes returns the contents of each file in db's spool.
func spoolFileBytes(t *testing.T, db string) [][]byte {
	t.Helper()
	var out [][]byte
	filepath.WalkDir(store.SpoolDir(db), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return nil
	})
	return out
}

// databaseBytes returns the bytes of the database's files: the database,
// its WAL, shared memory and journal, and every file of its spool.
func databaseBytes(t *testing.T, db string) []byte {
	t.Helper()
	var all []byte
	files := []string{db, db + "-wal", db + "-shm", db + "-journal"}
	filepath.WalkDir(store.SpoolDir(db), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func countFound(raw []byte, who []planted) (found []string) {
	for _, p := range who {
		for _, s := range p.strings() {
			if bytes.Contains(raw, []byte(s)) {
				found = append(found, s)
			}
		}
	}
	return found
}

// TestPurgeTimeTravel plants citizens' personal data in cases, looks a
// year ahead with purge --at and proves by scanning the database files'
// raw bytes that none of it remains, while a preserved case keeps its
// own and the PII-free metadata and event rows stay.
func TestPurgeTimeTravel(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	db := filepath.Join(dir, "s.db")
	all := append(append([]planted(nil), citizens...), planted{"Karl Bevarasson", "770707-7777", "072-111 22 33", "+46721112233", "karl.bevarasson@example.net"})
	numbers := plantCases(t, dir, cfg, all)
	keep := numbers[len(numbers)-1]
	if _, code := run(t, "preserve", "--config", cfg, "--reason", "tillför sakuppgifter", keep); code != 0 {
		t.Fatal("preserve failed")
	}

	// Holger's and Karl's originals (planted second and fourth) are over
	// the spool threshold: files beside the database, scanned too.
	if got := spoolFileBytes(t, db); len(got) != 2 || len(countFound(got[0], all))+len(countFound(got[1], all)) == 0 {
		t.Fatalf("spool before the purge: %d files; want 2 holding planted strings", len(got))
	}
	before := countFound(databaseBytes(t, db), citizens)
	t.Logf("before the purge: %d planted strings found in the database files: %q", len(before), before)
	// Mail cases hold no E.164 number (the receipt goes by e-mail).
	if len(before) != 4*len(citizens) {
		t.Fatalf("planted strings found before the purge = %d, want %d", len(before), 4*len(citizens))
	}
	// Nothing is due now.
	out, _ := run(t, "purge", "--config", cfg, "--dry-run", "--json")
	var rep retention.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Purged) != 0 {
		t.Fatalf("purge --dry-run now = %s (%v), want nothing due", out, err)
	}
	// A year ahead everything not preserved is due.
	out, code := run(t, "purge", "--config", cfg, "--at", "2027-11-24T10:00", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
		t.Fatalf("purge --at a year ahead: exit %d, %s", code, out)
	}
	if len(rep.Purged) != len(citizens) || rep.Kept != 1 || !rep.Compacted {
		t.Fatalf("purge report = %s, want %d cases purged, 1 preserved kept, compacted", out, len(citizens))
	}
	if got := spoolFileBytes(t, db); len(got) != 1 || len(countFound(got[0], all[len(all)-1:])) == 0 {
		t.Errorf("spool after the purge: %d files; want only the preserved case's original", len(got))
	}
	after := countFound(databaseBytes(t, db), citizens)
	t.Logf("after the purge: %d planted strings found: %q", len(after), after)
	if len(after) != 0 {
		t.Errorf("after the purge the database files still hold %q", after)
	}
	if kept := countFound(databaseBytes(t, db), all[len(all)-1:]); len(kept) == 0 {
		t.Errorf("the preserved case lost its documents")
	}
	// Metadata and the event rows stay; each purged case has one purge event.
	sheet, _ := run(t, "case", "--config", cfg, numbers[0])
	for _, want := range []string{numbers[0], "purged", "note", "closed", "3.2.1."} {
		if !strings.Contains(sheet, want) {
			t.Errorf("case sheet after the purge lacks %q:\n%s", want, sheet)
		}
	}
	// A second purge finds nothing more to do.
	out, _ = run(t, "purge", "--config", cfg, "--at", "2027-11-24T10:00", "--json")
	if json.Unmarshal([]byte(out), &rep) != nil || len(rep.Purged) != 0 {
		t.Errorf("second purge = %s, want nothing", out)
	}
}

// subject-access finds every case of one planted citizen by address,
// phone or personnummer (in any spelling), and erase removes their data
// from closed cases but keeps a preserved one, saying why.
func TestSubjectAccessAndErase(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	db := filepath.Join(dir, "s.db")
	g := citizens[0]
	numbers := plantCases(t, dir, cfg, []planted{g, citizens[1], g})
	for _, q := range [][]string{{"--email", strings.ToUpper(g.email)}, {"--phone", g.phoneE164}, {"--personnummer", "19" + g.pnr}} {
		out, code := run(t, append([]string{"subject-access", "--config", cfg, "--json"}, q...)...)
		var got struct {
			Cases []retention.AccessCase `json:"cases"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("subject-access %v: exit %d, %s", q, code, out)
		}
		if q[0] == "--email" {
			t.Logf("subject-access --json %s %s:\n%s", q[0], q[1], out)
		}
		if len(got.Cases) != 2 || got.Cases[0].Case != numbers[0] || got.Cases[1].Case != numbers[2] {
			t.Errorf("subject-access %v = %s, want %s and %s", q, out, numbers[0], numbers[2])
		}
	}
	letter, _ := run(t, "subject-access", "--config", cfg, "--phone", g.phone)
	t.Logf("subject-access --phone %q:\n%s", g.phone, letter)
	for _, want := range []string{"Registerutdrag", numbers[0], numbers[2], "det ursprungliga meddelandet", "en anteckning i ärendet"} {
		if !strings.Contains(letter, want) {
			t.Errorf("letter lacks %q", want)
		}
	}
	run(t, "preserve", "--config", cfg, "--reason", "principiellt viktigt", numbers[2])
	out, code := run(t, "erase", "--config", cfg, "--email", g.email)
	if code != 0 || !strings.Contains(out, numbers[0]+": raderat") || !strings.Contains(out, numbers[2]+": behålls: ärendet ska bevaras") {
		t.Fatalf("erase: exit %d:\n%s", code, out)
	}
	out, _ = run(t, "subject-access", "--config", cfg, "--email", g.email, "--json")
	if strings.Contains(out, numbers[0]) || !strings.Contains(out, numbers[2]) {
		t.Errorf("after erase, subject-access = %s, want only the preserved %s", out, numbers[2])
	}
	// The other citizen is untouched.
	if found := countFound(databaseBytes(t, db), citizens[1:2]); len(found) != 4 {
		t.Errorf("another citizen's data after erase: %q, want all 4 strings", found)
	}
}

// archive-export writes the preserved closed case as a package: its
// original (.eml) and PDF/A rendition (.pdf), the ERMS XML and the METS
// file; the case not preserved stays out, and a second export finds
// nothing more to deliver.
func TestArchiveExportCLI(t *testing.T) {
	dir := t.TempDir()
	cfg := sampleConfigFile(t, dir)
	numbers := plantCases(t, dir, cfg, citizens[:2])
	if _, code := run(t, "preserve", "--config", cfg, "--reason", "principiellt viktigt", numbers[0]); code != 0 {
		t.Fatal("preserve failed")
	}
	out := filepath.Join(dir, "arkiv")
	msg, code := run(t, "archive-export", "--config", cfg, "--closed-before", "2026-11-24", "--out", out)
	if code != 0 || !strings.Contains(msg, "1 ärenden") {
		t.Fatalf("archive-export: exit %d: %s", code, msg)
	}
	var tree []string
	filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(out, p)
			tree = append(tree, fmt.Sprintf("%s (%d bytes)", filepath.ToSlash(rel), info.Size()))
		}
		return err
	})
	t.Logf("synpunkt archive-export --closed-before 2026-11-24 --out DIR: %s\n%s", strings.TrimSpace(msg), strings.Join(tree, "\n"))
	all := strings.Join(tree, "\n")
	for _, want := range []string{"/METS.xml", "/metadata/descriptive/erms.xml", "/representations/rep1/data/" + numbers[0] + "/01-", ".eml", "/representations/rep2/data/" + numbers[0] + "/01-", ".pdf"} {
		if !strings.Contains(all, want) {
			t.Errorf("package lacks %q", want)
		}
	}
	if strings.Contains(all, numbers[1]) {
		t.Errorf("the case not preserved, %s, is in the package", numbers[1])
	}
	if msg, _ := run(t, "archive-export", "--config", cfg, "--closed-before", "2026-11-24", "--out", out); !strings.Contains(msg, "inga bevarade") {
		t.Errorf("second archive-export = %q, want nothing to deliver", msg)
	}
}
