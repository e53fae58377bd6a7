// Package archive owns the delivery of preserved cases to the municipal
// archive: an archive package after Riksarkivet's FGS Ärendehantering 2.0,
// which builds on the DILCIS Board's CITS ERMS 3: the case (ärendeakt) and
// document (handling) metadata in ERMS XML, two representations of each
// document — the original as an .eml file (representations/rep1) and a
// PDF/A-2b rendition of it (representations/rep2, see package pdfa: its
// header fields and readable text, for readers without a mail program) —
// and a METS file listing every file with its SHA-256 checksum. Each ERMS
// record names both files as appendices (additionalInformation/appendix,
// path relative to the package root).
//
// What always holds: only cases that are preserved (bevaras), closed
// before the cut-off and not yet delivered are exported; a case is marked
// delivered only after its package was written and synced completely, and
// the package directory is first written under a temporary name and
// renamed, so a crash leaves no half package under the final name. The
// ERMS XML holds no personal data beyond what the case metadata holds
// (roles, not names); the originals hold what the citizen wrote.
//
// Not done: the renditions are checked with qpdf and pdftotext in the
// tests, not with a PDF/A validator (veraPDF is not available on the build
// machines).
//
// How it fails: every error is wrapped with the case or file it concerns;
// on an error nothing is marked delivered and the temporary directory is
// removed.
package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework/archive/pdfa"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
	"github.com/exempelby/synpunkt/workday"
)

// Options describe the delivering organisation.
type Options struct {
	Organisation string // e.g. "Exempelby kommun"
	System       string // the delivering system; default "synpunkt"
	Now          func() time.Time
}

// Result is what an export wrote.
type Result struct {
	Package string   `json:"package"` // the package directory
	Cases   []string `json:"cases"`
	Files   []File   `json:"files"`
}

// File is one file of a package with its checksum.
type File struct {
	Path   string `json:"path"` // relative to the package
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

type exportCase struct {
	c    synpunkt.Case
	docs []exportDoc
}

type exportDoc struct {
	d    synpunkt.Document
	path string // relative path of the .eml, "" when the original was purged
	pdf  string // relative path of its PDF/A rendition, "" with no original
}

// Export writes the preserved cases closed before cutoff into a new package
// under outDir and marks them delivered. With no case to deliver it writes
// nothing and returns a Result without Package.
func Export(ctx context.Context, st *store.Store, cutoff time.Time, outDir string, opt Options) (Result, error) {
	if opt.System == "" {
		opt.System = "synpunkt"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	rcs, err := st.RetentionCases(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("archive export: %w", err)
	}
	var due []store.RetentionCase
	for _, rc := range rcs {
		if rc.Preserved && rc.DeliveredAt.IsZero() && !rc.ClosedAt.IsZero() && rc.ClosedAt.Before(cutoff) {
			due = append(due, rc)
		}
	}
	if len(due) == 0 {
		return Result{}, nil
	}
	now := opt.Now()
	id := "synpunkt-" + now.UTC().Format("20060102T150405Z")
	final := filepath.Join(outDir, id)
	tmp := final + ".tmp"
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return Result{}, fmt.Errorf("archive export: %w", err)
	}
	res, err := write(ctx, st, due, tmp, id, now, opt)
	if err != nil {
		os.RemoveAll(tmp)
		return Result{}, err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return Result{}, fmt.Errorf("archive export: %w", err)
	}
	res.Package = final
	for _, rc := range due {
		if err := st.MarkDelivered(ctx, rc.ID, id); err != nil {
			return res, fmt.Errorf("archive export: %s: %w", rc.Number, err)
		}
	}
	return res, nil
}

func write(ctx context.Context, st *store.Store, due []store.RetentionCase, dir, id string, now time.Time, opt Options) (Result, error) {
	var res Result
	var cases []exportCase
	put := func(rel string, b []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return err
		}
		if err := writeSync(p, b); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
		h := sha256.Sum256(b)
		res.Files = append(res.Files, File{Path: rel, Size: int64(len(b)), SHA256: hex.EncodeToString(h[:])})
		return nil
	}
	for _, rc := range due {
		c, err := st.Case(ctx, rc.ID)
		if err != nil {
			return res, fmt.Errorf("archive export %s: %w", rc.Number, err)
		}
		ec := exportCase{c: c}
		for i, d := range c.Documents {
			raw, err := st.Original(ctx, d.ID)
			if err != nil {
				return res, fmt.Errorf("archive export %s: %w", c.Number, err)
			}
			ed := exportDoc{d: d}
			if len(raw) > 0 {
				ed.path = fmt.Sprintf("representations/rep1/data/%s/%02d-%s.eml", safe(c.Number), i+1, safe(string(d.Type)))
				if err := put(ed.path, raw); err != nil {
					return res, err
				}
				pdf, err := rendition(c, i, d, raw, now)
				if err != nil {
					return res, fmt.Errorf("archive export %s: %w", c.Number, err)
				}
				ed.pdf = fmt.Sprintf("representations/rep2/data/%s/%02d-%s.pdf", safe(c.Number), i+1, safe(string(d.Type)))
				if err := put(ed.pdf, pdf); err != nil {
					return res, err
				}
			}
			ec.docs = append(ec.docs, ed)
		}
		cases = append(cases, ec)
		res.Cases = append(res.Cases, c.Number)
	}
	erms, err := ERMS(cases, now, opt)
	if err != nil {
		return res, err
	}
	if err := put("metadata/descriptive/erms.xml", erms); err != nil {
		return res, err
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	if err := put("METS.xml", mets(id, res.Files, now, opt)); err != nil {
		return res, err
	}
	return res, nil
}

func writeSync(p string, b []byte) error {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// safe makes a file name part of s (letters, digits, '-').
func safe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		case r == 'å' || r == 'ä':
			return 'a'
		case r == 'ö':
			return 'o'
		case r == 'Å' || r == 'Ä':
			return 'A'
		case r == 'Ö':
			return 'O'
		}
		return '_'
	}, s)
}

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func xsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// ERMS renders the ERMS 3 XML of the cases: one aggregation of type
// caseFile per case (ärendeakt) holding one record per document (handling).
func ERMS(cases []exportCase, now time.Time, opt Options) ([]byte, error) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w(`<erms xmlns="https://DILCIS.eu/XML/ERMS">` + "\n")
	w("  <control>\n")
	w("    <identification identificationType=\"system\">%s</identification>\n", esc(opt.System))
	w("    <maintenanceInformation>\n      <maintenanceStatus value=\"new\"/>\n")
	w("      <maintenanceAgency><agencyName>%s</agencyName></maintenanceAgency>\n", esc(opt.Organisation))
	w("      <maintenanceHistory><maintenanceEvent><eventType value=\"created\"/><eventDateTime>%s</eventDateTime><agent agentType=\"creator\"><name>%s</name></agent></maintenanceEvent></maintenanceHistory>\n",
		xsTime(now), esc(opt.System))
	w("    </maintenanceInformation>\n  </control>\n  <aggregations>\n")
	for _, ec := range cases {
		c := ec.c
		w("    <aggregation aggregationType=\"caseFile\" systemIdentifier=\"%d\">\n", c.ID)
		w("      <objectId>%s</objectId>\n", esc(c.Number))
		w("      <title>%s</title>\n", esc(c.Description))
		w("      <status value=\"closed\"/>\n")
		w("      <agents><agent agentType=\"owner\"><name>%s</name><organisation>%s</organisation><unitName>%s</unitName></agent>"+
			"<agent agentType=\"creator\"><name>%s</name><role>initiativtagare</role></agent></agents>\n",
			esc(c.Committee), esc(opt.Organisation), esc(c.Unit), esc(string(c.InitiatedBy)))
		w("      <dates><date dateType=\"created\">%s</date><date dateType=\"closed\">%s</date></dates>\n", xsTime(c.ReceivedAt), xsTime(c.ClosedAt))
		for i, ed := range ec.docs {
			d := ed.d
			dir := "incoming"
			if d.Direction == synpunkt.Upprattad {
				dir = "outgoing"
			}
			w("        <record systemIdentifier=\"%d\" recordType=\"%s\">\n", d.ID, esc(string(d.Type)))
			w("          <objectId>%s-%d</objectId>\n", esc(c.Number), i+1)
			w("          <title>%s</title>\n", esc(string(d.Type)))
			w("          <direction directionDefinition=\"%s\"/>\n", dir)
			w("          <agents><agent agentType=\"counterpart\"><name>%s</name></agent></agents>\n", esc(d.SenderRole))
			w("          <dates><date dateType=\"received\">%s</date></dates>\n", xsTime(d.ReceivedAt))
			if ed.path != "" {
				w("          <additionalInformation>\n")
				w("            <appendix name=\"%s\" description=\"original\" fileFormat=\"message/rfc822\" path=\"%s\"/>\n", esc(path.Base(ed.path)), esc(ed.path))
				w("            <appendix name=\"%s\" description=\"PDF/A-rendition av originalet\" fileFormat=\"application/pdf (PDF/A-2b)\" originalFileFormat=\"message/rfc822\" path=\"%s\"/>\n", esc(path.Base(ed.pdf)), esc(ed.pdf))
				w("          </additionalInformation>\n")
			}
			w("        </record>\n")
		}
		w("    </aggregation>\n")
	}
	w("  </aggregations>\n</erms>\n")
	return []byte(b.String()), nil
}

// mets renders the package's METS file: every file with its size and
// SHA-256 checksum, the ERMS file as descriptive metadata.
func mets(id string, files []File, now time.Time, opt Options) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w(`<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" OBJID="%s" TYPE="ERMS" PROFILE="http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml">`+"\n", esc(id))
	w("  <mets:metsHdr CREATEDATE=\"%s\" RECORDSTATUS=\"NEW\">\n", xsTime(now))
	w("    <mets:agent ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\"><mets:name>%s</mets:name></mets:agent>\n", esc(opt.Organisation))
	w("    <mets:agent ROLE=\"CREATOR\" TYPE=\"OTHER\" OTHERTYPE=\"SOFTWARE\"><mets:name>%s</mets:name></mets:agent>\n", esc(opt.System))
	w("  </mets:metsHdr>\n")
	w("  <mets:dmdSec ID=\"dmd-erms\"><mets:mdRef LOCTYPE=\"URL\" MDTYPE=\"OTHER\" OTHERMDTYPE=\"ERMS\" xlink:type=\"simple\" xlink:href=\"metadata/descriptive/erms.xml\"/></mets:dmdSec>\n")
	w("  <mets:fileSec>\n")
	for _, g := range []struct{ id, use, prefix string }{
		{"grp-rep1", "Representations/rep1 (original)", "representations/rep1/"},
		{"grp-rep2", "Representations/rep2 (PDF/A-2b)", "representations/rep2/"},
		{"grp-metadata", "Metadata", "metadata/"},
	} {
		w("    <mets:fileGrp ID=\"%s\" USE=\"%s\">\n", g.id, esc(g.use))
		for i, f := range files {
			if !strings.HasPrefix(f.Path, g.prefix) {
				continue
			}
			w("      <mets:file ID=\"file-%d\" MIMETYPE=\"%s\" SIZE=\"%d\" CHECKSUM=\"%s\" CHECKSUMTYPE=\"SHA-256\"><mets:FLocat LOCTYPE=\"URL\" xlink:type=\"simple\" xlink:href=\"%s\"/></mets:file>\n",
				i+1, mimeType(f.Path), f.Size, f.SHA256, esc(f.Path))
		}
		w("    </mets:fileGrp>\n")
	}
	w("  </mets:fileSec>\n")
	w("  <mets:structMap TYPE=\"physical\"><mets:div LABEL=\"%s\" DMDID=\"dmd-erms\">\n", esc(id))
	for i := range files {
		w("    <mets:fptr FILEID=\"file-%d\"/>\n", i+1)
	}
	w("  </mets:div></mets:structMap>\n</mets:mets>\n")
	return []byte(b.String())
}

func mimeType(p string) string {
	switch path.Ext(p) {
	case ".xml":
		return "text/xml"
	case ".pdf":
		return "application/pdf"
	}
	return "message/rfc822"
}

// rendition renders document i of case c as PDF/A-2b: the original's
// header fields (from, to, date, subject, attachments) and its readable
// text, under a title naming the document.
func rendition(c synpunkt.Case, i int, d synpunkt.Document, raw []byte, now time.Time) ([]byte, error) {
	msg, err := mimeparse.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("rendition of document %d: %w", d.ID, err)
	}
	addr := func(a synpunkt.Address) string {
		if a.Name == "" {
			return a.Addr
		}
		return a.Name + " <" + a.Addr + ">"
	}
	doc := pdfa.Document{
		Title: fmt.Sprintf("%s, ärende %s, handling %d", d.Type, c.Number, i+1),
		Fields: []pdfa.Field{
			{Name: "Ärende", Value: c.Number},
			{Name: "Handlingstyp", Value: string(d.Type)},
			{Name: "Riktning", Value: string(d.Direction)},
			{Name: "Inkommen/upprättad", Value: d.ReceivedAt.In(workday.Stockholm).Format("2006-01-02 15:04")},
		},
		Created: now,
	}
	if msg.From.Addr != "" || msg.From.Name != "" {
		doc.Fields = append(doc.Fields, pdfa.Field{Name: "Från", Value: addr(msg.From)})
	}
	if len(msg.To) > 0 {
		var to []string
		for _, a := range msg.To {
			to = append(to, addr(a))
		}
		doc.Fields = append(doc.Fields, pdfa.Field{Name: "Till", Value: strings.Join(to, ", ")})
	}
	if !msg.Date.IsZero() {
		doc.Fields = append(doc.Fields, pdfa.Field{Name: "Datum", Value: msg.Date.In(workday.Stockholm).Format("2006-01-02 15:04")})
	}
	doc.Fields = append(doc.Fields, pdfa.Field{Name: "Ämne", Value: msg.Subject})
	for _, a := range msg.Attachments {
		doc.Fields = append(doc.Fields, pdfa.Field{Name: "Bilaga", Value: fmt.Sprintf("%s (%s, %d byte; finns i originalet)", a.Name, a.ContentType, a.Size)})
	}
	doc.Body = msg.Text
	var b bytes.Buffer
	if err := pdfa.Render(&b, doc); err != nil {
		return nil, fmt.Errorf("rendition of document %d: %w", d.ID, err)
	}
	return b.Bytes(), nil
}
