package pdfa

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func sample() Document {
	var body strings.Builder
	body.WriteString("Hej!\n\nGatlyktan utanför mitt hus på Storgatan 3 är trasig. Det är mörkt på kvällarna och barnen går till skolan i mörker.\n")
	for i := range 120 {
		body.WriteString("Rad ")
		body.WriteString(strings.Repeat("ö", i%3+1))
		body.WriteString(": Snöröjningen på Ågatan och Älvvägen fungerar inte, säger Åsa Öberg; äldre grannar halkar på isen vid busshållplatsen.\n")
	}
	body.WriteString("Ett mycket långt ord: " + strings.Repeat("Gatubelysningsunderhållsentreprenad", 4) + "\n")
	body.WriteString("Tecken: – “citat” € é ü ß ø æ ł Ω\nMvh Åsa Öberg")
	return Document{
		Title:   "Klagomål SYN-2026-00042",
		Fields:  []Field{{"Ärende", "SYN-2026-00042"}, {"Från", "Privatperson"}, {"Ämne", "Gatlykta på Storgatan"}},
		Body:    body.String(),
		Created: time.Date(2029, 3, 3, 9, 0, 0, 0, time.UTC),
	}
}

// words is the text as a sequence of words: line wrapping and page breaks
// change only the white space.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestTextExtractsExactly: pdftotext gives back exactly the document's
// text (Swedish letters, punctuation, a body over several pages, a word
// longer than a line broken across lines).
func TestTextExtractsExactly(t *testing.T) {
	d := sample()
	got := pdfToText(t, render(t, d))
	if pages := strings.Count(got, "\f"); pages < 3 {
		t.Errorf("the long body gave %d pages, want at least 3", pages)
	}
	var want strings.Builder
	want.WriteString(d.Title + "\n")
	for _, f := range d.Fields {
		want.WriteString(f.Name + ": " + f.Value + "\n")
	}
	want.WriteString(d.Body)
	// The broken long word comes back in pieces, one per line.
	long := strings.Repeat("Gatubelysningsunderhållsentreprenad", 4)
	g, w := words(got), words(want.String())
	g = strings.ReplaceAll(g, " ", "")
	w = strings.ReplaceAll(w, " ", "")
	if g != w {
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Errorf("pdftotext differs from the text at byte %d:\n got …%s…\nwant …%s…", i, g[max(0, i-40):min(len(g), i+40)], w[max(0, i-40):min(len(w), i+40)])
	}
	// And with the spaces: every line of the text is in the output, in order.
	lines := strings.Split(got, "\n")
	for _, l := range strings.Split(d.Body, "\n") {
		if strings.Contains(l, long) || strings.TrimSpace(l) == "" {
			continue
		}
		found := false
		for len(lines) > 0 && !found {
			found = strings.Contains(words(strings.Join(lines[:min(3, len(lines))], " ")), words(l)[:min(len(words(l)), 60)])
			lines = lines[1:]
		}
		if !found {
			t.Fatalf("line %q not found in order in the pdftotext output", l)
		}
	}
	for _, s := range []string{"Åsa Öberg", "Ärende: SYN-2026-00042", "Ämne: Gatlykta på Storgatan", "“citat” € é ü ß ø æ ł Ω"} {
		if !strings.Contains(got, s) {
			t.Errorf("pdftotext output lacks %q", s)
		}
	}
}

// TestQPDFCheck: qpdf finds no error in the file's structure (objects,
// cross-reference table, streams, the font).
func TestQPDFCheck(t *testing.T) {
	out := toolOutput(t, "qpdf", "qpdf", "--check", render(t, sample()))
	if !strings.Contains(out, "No syntax or stream encoding errors found") {
		t.Fatalf("qpdf --check:\n%s", out)
	}
	t.Logf("qpdf --check:\n%s", out)
}

// TestPDFAMarkers: the parts of PDF/A-2b a reader checks first are there:
// the XMP identification, the output intent with an ICC profile, an /ID,
// the embedded CID font with its widths and ToUnicode map, and nothing
// PDF/A forbids (encryption, transparency groups, JavaScript).
func TestPDFAMarkers(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, sample()); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
		"/S /GTS_PDFA1", "/DestOutputProfile", "/ID [<", "/Subtype /CIDFontType2", "/Encoding /Identity-H", "/CIDToGIDMap /Identity",
		"/FontFile2", "/ToUnicode", "/W [", "/Type /Metadata /Subtype /XML"} {
		if !strings.Contains(s, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	for _, bad := range []string{"/Encrypt", "/SMask", "/Group", "/JavaScript", "/Transparency"} {
		if strings.Contains(s, bad) {
			t.Errorf("PDF holds %q", bad)
		}
	}
	var again bytes.Buffer
	Render(&again, sample())
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Errorf("the same document rendered to different bytes")
	}
}

// TestSRGBProfile: the ICC profile's header and tag table are consistent.
func TestSRGBProfile(t *testing.T) {
	p := SRGBProfile()
	if len(p)%4 != 0 || int(p[0])<<24|int(p[1])<<16|int(p[2])<<8|int(p[3]) != len(p) {
		t.Fatalf("profile size field does not match its %d bytes", len(p))
	}
	if string(p[36:40]) != "acsp" || string(p[12:16]) != "mntr" || string(p[16:20]) != "RGB " || string(p[20:24]) != "XYZ " || p[8] != 2 {
		t.Fatalf("bad header % x", p[:40])
	}
	n := int(p[128])<<24 | int(p[129])<<16 | int(p[130])<<8 | int(p[131])
	sigs := map[string]bool{}
	for i := range n {
		e := p[132+12*i:]
		off := int(e[4])<<24 | int(e[5])<<16 | int(e[6])<<8 | int(e[7])
		size := int(e[8])<<24 | int(e[9])<<16 | int(e[10])<<8 | int(e[11])
		if off%4 != 0 || off+size > len(p) {
			t.Errorf("tag %s at %d+%d outside the profile", e[:4], off, size)
		}
		sigs[string(e[:4])] = true
	}
	for _, s := range []string{"desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"} {
		if !sigs[s] {
			t.Errorf("profile lacks tag %s", s)
		}
	}
}

// TestMissingGlyph: a character the font lacks is shown as '?', never as
// the .notdef glyph PDF/A forbids, and the rest of the line is intact.
func TestMissingGlyph(t *testing.T) {
	out := pdfToText(t, render(t, Document{Title: "Test", Body: "Tecken utanför typsnittet: 漢字 slut", Created: time.Date(2029, 3, 3, 9, 0, 0, 0, time.UTC)}))
	if !strings.Contains(out, "Tecken utanför typsnittet: ?? slut") {
		t.Errorf("pdftotext = %q, want the missing characters as ??", out)
	}
}
