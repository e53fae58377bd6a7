// Package pdfa writes text documents as PDF/A-2b files, in pure Go: the
// archive package's rendition of each case document (a letter's headers
// and its plain-text body), readable without the mail program that an .eml
// original needs.
//
// What always holds: the output is one PDF 1.7 file meeting the parts of
// PDF/A-2b (ISO 19005-2, level B) a text document touches: the font (Go
// Regular, golang.org/x/image/font/gofont) is embedded whole as a TrueType
// CIDFontType2 with Identity-H encoding, CIDToGIDMap /Identity, /W widths
// taken from the font's own advances and a ToUnicode CMap, so text
// extraction gives back exactly the text; XMP metadata says pdfaid:part 2,
// conformance B; the catalog has an OutputIntent GTS_PDFA1 with an sRGB
// ICC profile built in code (see icc.go); the trailer has an /ID; there is
// no encryption, no transparency, no Info dictionary (so nothing there can
// disagree with the XMP) and no glyph outside the font: a character the
// font lacks is written as '?'. Lines are wrapped at spaces to the text
// width (a word longer than a line is broken), pages are A4. The output
// depends only on the Document (no clock, no randomness): the same
// document renders to the same bytes.
//
// What is not done: no validator runs here (veraPDF is not available on
// the build machines); the tests check the structure with qpdf --check and
// the text with pdftotext (poppler-utils). No font subsetting: each file
// carries the whole Go Regular font (about 70 KB compressed).
//
// How it fails: Render returns an error only when the embedded font cannot
// be parsed (a build defect) or the writer fails.
package pdfa

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Field is one header line of a document, e.g. {"Ärende", "SYN-2026-00001"}.
type Field struct {
	Name, Value string
}

// Document is what is rendered: a title (in the XMP metadata and as the
// first line), header fields, and a plain-text body.
type Document struct {
	Title   string
	Fields  []Field
	Body    string
	Created time.Time // the XMP CreateDate/ModifyDate; the caller's clock
	Lang    string    // e.g. "sv"; default "sv"
}

// Page geometry in points: A4, 2 cm margins.
const (
	pageW, pageH = 595.276, 841.89
	margin       = 56.7
	fontSize     = 10.5
	titleSize    = 14.0
	leading      = 14.0
)

type fontInfo struct {
	f          *sfnt.Font
	upem       int
	widths     map[uint16]int // glyph -> width in 1/1000 em, filled lazily under mu
	gid        map[rune]uint16
	mu         sync.Mutex
	bbox       [4]int
	ascent     int
	descent    int
	capHeight  int
	question   uint16
	parseError error
}

var (
	fontOnce sync.Once
	goFont   fontInfo
)

func loadFont() (*fontInfo, error) {
	fontOnce.Do(func() {
		fi := &goFont
		f, err := sfnt.Parse(goregular.TTF)
		if err != nil {
			fi.parseError = fmt.Errorf("parse Go Regular: %w", err)
			return
		}
		fi.f, fi.upem = f, int(f.UnitsPerEm())
		fi.widths, fi.gid = map[uint16]int{}, map[rune]uint16{}
		var b sfnt.Buffer
		ppem := fixed.Int26_6(fi.upem << 6)
		r, err := f.Bounds(&b, ppem, font.HintingNone)
		if err != nil {
			fi.parseError = fmt.Errorf("Go Regular bounds: %w", err)
			return
		}
		fi.bbox = [4]int{fi.scale(r.Min.X), fi.scale(-r.Max.Y), fi.scale(r.Max.X), fi.scale(-r.Min.Y)}
		m, err := f.Metrics(&b, ppem, font.HintingNone)
		if err != nil {
			fi.parseError = fmt.Errorf("Go Regular metrics: %w", err)
			return
		}
		fi.ascent, fi.descent, fi.capHeight = fi.scale(m.Ascent), -fi.scale(m.Descent), fi.scale(m.CapHeight)
		if fi.capHeight == 0 {
			fi.capHeight = fi.ascent * 7 / 10
		}
		q, _ := f.GlyphIndex(&b, '?')
		fi.question = uint16(q)
	})
	if goFont.parseError != nil {
		return nil, goFont.parseError
	}
	return &goFont, nil
}

// scale turns a 26.6 value at ppem = upem into 1/1000 em.
func (fi *fontInfo) scale(v fixed.Int26_6) int {
	units := float64(v) / 64
	x := units * 1000 / float64(fi.upem)
	if x < 0 {
		return int(x - 0.5)
	}
	return int(x + 0.5)
}

// glyph returns the glyph of r and its width (1/1000 em); a rune the font
// lacks becomes '?' (PDF/A forbids showing .notdef).
func (fi *fontInfo) glyph(r rune) (uint16, rune, int) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	var b sfnt.Buffer
	g, ok := fi.gid[r]
	if !ok {
		x, err := fi.f.GlyphIndex(&b, r)
		if err == nil && x != 0 {
			g = uint16(x)
		}
		fi.gid[r] = g
	}
	if g == 0 {
		g, r = fi.question, '?'
	}
	w, ok := fi.widths[g]
	if !ok {
		adv, err := fi.f.GlyphAdvance(&b, sfnt.GlyphIndex(g), fixed.Int26_6(fi.upem<<6), font.HintingNone)
		if err == nil {
			w = fi.scale(adv)
		}
		fi.widths[g] = w
	}
	return g, r, w
}

// line is one laid-out line: its glyphs and the runes they show.
type line struct {
	size   float64
	glyphs []uint16
}

// layout wraps text into lines no wider than width points at size.
func layout(fi *fontInfo, text string, size, width float64, used map[uint16]rune) []line {
	var out []line
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		para = strings.ReplaceAll(para, "\t", "    ")
		para = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || r == '\u00ad' {
				return -1
			}
			return r
		}, para)
		if strings.TrimSpace(para) == "" {
			out = append(out, line{size: size})
			continue
		}
		var cur []uint16
		var curW float64
		flush := func() {
			// A line does not end in spaces.
			for len(cur) > 0 && used[cur[len(cur)-1]] == ' ' {
				cur = cur[:len(cur)-1]
			}
			out = append(out, line{size: size, glyphs: cur})
			cur, curW = nil, 0
		}
		// Words keep their leading spaces, so indentation survives.
		for _, word := range splitKeepSpace(para) {
			var gs []uint16
			var ww float64
			for _, r := range word {
				g, shown, w := fi.glyph(r)
				used[g] = shown
				gs = append(gs, g)
				ww += float64(w) * size / 1000
			}
			if curW+ww > width && len(cur) > 0 {
				flush()
				trimmed := strings.TrimLeft(word, " ")
				gs = gs[len(word)-len(trimmed):]
				ww = 0
				for _, g := range gs {
					ww += float64(fi.widths[g]) * size / 1000
				}
			}
			for _, g := range gs {
				w := float64(fi.widths[g]) * size / 1000
				if curW+w > width && len(cur) > 0 { // a word longer than a line
					flush()
				}
				cur = append(cur, g)
				curW += w
			}
		}
		flush()
	}
	return out
}

// splitKeepSpace splits s before each run of spaces: "a  b c" -> "a", "  b", " c".
func splitKeepSpace(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && s[i-1] != ' ' {
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}

// Render writes d as a PDF/A-2b file to w.
func Render(w io.Writer, d Document) error {
	fi, err := loadFont()
	if err != nil {
		return fmt.Errorf("pdfa: %w", err)
	}
	if d.Lang == "" {
		d.Lang = "sv"
	}
	used := map[uint16]rune{}
	textW := pageW - 2*margin
	var lines []line
	if d.Title != "" {
		lines = append(lines, layout(fi, d.Title, titleSize, textW, used)...)
		lines = append(lines, line{size: fontSize})
	}
	for _, f := range d.Fields {
		lines = append(lines, layout(fi, f.Name+": "+f.Value, fontSize, textW, used)...)
	}
	if len(d.Fields) > 0 {
		lines = append(lines, line{size: fontSize})
	}
	lines = append(lines, layout(fi, d.Body, fontSize, textW, used)...)

	// Pages: as many lines as fit between the margins.
	var pages [][]byte
	var content bytes.Buffer
	y := pageH - margin
	first := true
	for _, l := range lines {
		adv := leading
		if l.size > fontSize {
			adv = l.size * 1.3
		}
		if y-adv < margin && !first {
			pages = append(pages, append([]byte(nil), content.Bytes()...))
			content.Reset()
			y = pageH - margin
		}
		first = false
		y -= adv
		if len(l.glyphs) == 0 {
			continue
		}
		fmt.Fprintf(&content, "BT\n/F1 %s Tf\n1 0 0 1 %s %s Tm\n<", num(l.size), num(margin), num(y))
		for _, g := range l.glyphs {
			fmt.Fprintf(&content, "%04X", g)
		}
		content.WriteString("> Tj\nET\n")
	}
	pages = append(pages, append([]byte(nil), content.Bytes()...))

	return writePDF(w, fi, d, pages, used)
}

func num(f float64) string {
	s := fmt.Sprintf("%.3f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// pdfWriter numbers objects and records their offsets.
type pdfWriter struct {
	buf     bytes.Buffer
	offsets []int // by object number - 1
}

func (p *pdfWriter) reserve() int {
	p.offsets = append(p.offsets, 0)
	return len(p.offsets)
}

func (p *pdfWriter) obj(n int, body string) {
	p.offsets[n-1] = p.buf.Len()
	fmt.Fprintf(&p.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

// stream writes a stream object; flate compresses it.
func (p *pdfWriter) stream(n int, dict string, data []byte, flate bool) {
	if flate {
		var z bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		zw.Write(data)
		zw.Close()
		data = z.Bytes()
		dict += " /Filter /FlateDecode"
	}
	p.offsets[n-1] = p.buf.Len()
	fmt.Fprintf(&p.buf, "%d 0 obj\n<< %s /Length %d >>\nstream\n", n, dict, len(data))
	p.buf.Write(data)
	p.buf.WriteString("\nendstream\nendobj\n")
}

func writePDF(w io.Writer, fi *fontInfo, d Document, pages [][]byte, used map[uint16]rune) error {
	p := &pdfWriter{}
	// Header; the comment of four bytes above 127 marks the file binary (PDF/A-2 6.1.2).
	p.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	catalog, pagesObj, meta, intent, icc := p.reserve(), p.reserve(), p.reserve(), p.reserve(), p.reserve()
	type0, cidFont, desc, fontFile, toUni := p.reserve(), p.reserve(), p.reserve(), p.reserve(), p.reserve()
	var kids []string
	var pageObjs, contentObjs []int
	for range pages {
		pageObjs = append(pageObjs, p.reserve())
		contentObjs = append(contentObjs, p.reserve())
		kids = append(kids, fmt.Sprintf("%d 0 R", pageObjs[len(pageObjs)-1]))
	}
	p.obj(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /OutputIntents [%d 0 R] /Lang %s /MarkInfo << /Marked false >> >>",
		pagesObj, meta, intent, pdfString(d.Lang)))
	p.obj(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	p.stream(meta, "/Type /Metadata /Subtype /XML", xmp(d), false)
	p.obj(intent, fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /DestOutputProfile %d 0 R >>", icc))
	p.stream(icc, "/N 3", SRGBProfile(), true)

	// The font: Type0 over a CIDFontType2, CID = glyph id.
	const name = "GoRegular"
	p.obj(type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", name, cidFont, toUni))
	gids := make([]int, 0, len(used))
	for g := range used {
		gids = append(gids, int(g))
	}
	sort.Ints(gids)
	var wArr strings.Builder
	for i := 0; i < len(gids); {
		j := i
		for j+1 < len(gids) && gids[j+1] == gids[j]+1 {
			j++
		}
		fmt.Fprintf(&wArr, "%d [", gids[i])
		for k := i; k <= j; k++ {
			if k > i {
				wArr.WriteByte(' ')
			}
			fmt.Fprintf(&wArr, "%d", fi.widths[uint16(gids[k])])
		}
		wArr.WriteString("] ")
		i = j + 1
	}
	p.obj(cidFont, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000 /W [%s] >>",
		name, desc, strings.TrimSpace(wArr.String())))
	p.obj(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>",
		name, fi.bbox[0], fi.bbox[1], fi.bbox[2], fi.bbox[3], fi.ascent, fi.descent, fi.capHeight, fontFile))
	p.stream(fontFile, fmt.Sprintf("/Length1 %d", len(goregular.TTF)), goregular.TTF, true)
	p.stream(toUni, "", toUnicode(gids, used), true)

	for i, c := range pages {
		p.obj(pageObjs[i], fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
			pagesObj, num(pageW), num(pageH), type0, contentObjs[i]))
		p.stream(contentObjs[i], "", c, true)
	}

	// Cross-reference table and trailer; the /ID is a digest of the body,
	// so the same document gives the same file.
	xref := p.buf.Len()
	fmt.Fprintf(&p.buf, "xref\n0 %d\n0000000000 65535 f \n", len(p.offsets)+1)
	for _, off := range p.offsets {
		fmt.Fprintf(&p.buf, "%010d 00000 n \n", off)
	}
	id := md5.Sum(p.buf.Bytes())
	fmt.Fprintf(&p.buf, "trailer\n<< /Size %d /Root %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n", len(p.offsets)+1, catalog, id, id, xref)
	if _, err := w.Write(p.buf.Bytes()); err != nil {
		return fmt.Errorf("pdfa: write: %w", err)
	}
	return nil
}

// pdfString is a literal string: ASCII as is (escaped), anything else as
// UTF-16BE with a byte order mark, in hex.
func pdfString(s string) string {
	ascii := true
	for _, r := range s {
		if r > 126 || r < 32 {
			ascii = false
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String() + ">"
}

// toUnicode is the CMap from glyph ids (the codes shown) to Unicode.
func toUnicode(gids []int, used map[uint16]rune) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{used[uint16(g)]}) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// xmp is the metadata packet: PDF/A-2b identification, title, dates, producer.
func xmp(d Document) []byte {
	date := d.Created.UTC().Format("2006-01-02T15:04:05Z")
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/"
  xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
`)
	fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", xmlEsc(d.Title))
	fmt.Fprintf(&b, "<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n", xmlEsc(d.Lang))
	fmt.Fprintf(&b, "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n<xmp:MetadataDate>%s</xmp:MetadataDate>\n", date, date, date)
	b.WriteString("<xmp:CreatorTool>synpunkt</xmp:CreatorTool>\n<pdf:Producer>synpunkt pdfa</pdf:Producer>\n")
	b.WriteString("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n")
	// Padding lets an editor update the packet in place.
	b.WriteString(strings.Repeat(strings.Repeat(" ", 99)+"\n", 20))
	b.WriteString("<?xpacket end=\"w\"?>")
	return []byte(b.String())
}
