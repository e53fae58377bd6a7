package notify

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // Europe/Stockholm must resolve on hosts without zoneinfo

	"github.com/exempelby/synpunkt"
)

//go:embed templates/*.tmpl
var defaultFS embed.FS

// Template file names. E-mail templates define "subject" and "body"; SMS
// templates define "body".
const (
	TmplReceipt    = "receipt.tmpl"
	TmplReceiptSMS = "receipt_sms.tmpl"
	TmplForward    = "forward.tmpl"
	TmplClosed     = "closed.tmpl"
	TmplClosedSMS  = "closed_sms.tmpl"
	TmplReminder   = "reminder.tmpl"
	TmplEscalation = "escalation.tmpl"
	TmplNotice     = "notice.tmpl"
	TmplReport     = "report.tmpl" // statistics to a committee, with the file attached
)

// ReceiptLanguages are the languages with embedded receipt templates,
// receipt_LANG.tmpl and receipt_sms_LANG.tmpl; Swedish is receipt.tmpl
// and receipt_sms.tmpl.
var ReceiptLanguages = []string{"sv", "en", "fi"}

// receiptTemplate names the receipt template of lang (an ISO 639 code;
// "" or "sv" is Swedish).
func receiptTemplate(base, lang string) string {
	if lang == "" || lang == "sv" {
		return base
	}
	return strings.TrimSuffix(base, ".tmpl") + "_" + lang + ".tmpl"
}

// MaxSMSLen is the longest SMS text, in characters, a template may produce.
const MaxSMSLen = 320

// templateChannels lists every template and the channel it renders for.
var templateChannels = map[string]synpunkt.Medium{
	TmplReceipt: synpunkt.MediumEmail, TmplReceiptSMS: synpunkt.MediumSMS,
	TmplForward: synpunkt.MediumEmail, TmplClosed: synpunkt.MediumEmail,
	TmplClosedSMS: synpunkt.MediumSMS, TmplReminder: synpunkt.MediumEmail,
	TmplEscalation: synpunkt.MediumEmail, TmplNotice: synpunkt.MediumEmail,
	"receipt_en.tmpl": synpunkt.MediumEmail, "receipt_sms_en.tmpl": synpunkt.MediumSMS,
	"receipt_fi.tmpl": synpunkt.MediumEmail, "receipt_sms_fi.tmpl": synpunkt.MediumSMS,
	TmplReport: synpunkt.MediumEmail,
}

// stockholm is the time zone all times are shown in.
var stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}

// TemplateData is what every template is executed with. Override authors
// can use any of these fields.
type TemplateData struct {
	Org       Org
	Case      CaseInfo // zero for a notice without a case
	Anonymous bool     // Case.InitiatedBy is synpunkt.RoleAnonym
	ReplyTo   string   // Reply-To address of the message, may be empty
	Deadline  time.Time
	Level     int        // reminder or escalation level, from 1
	Final     bool       // the reminder is about the final answer, not the first response
	Subject   string     // notice only
	Body      string     // notice only
	Report    ReportInfo // report only
}

// funcs are available in templates (sprak names a language code in
// Swedish): datetime and date format a time in
// Europe/Stockholm as "2026-11-23 14:05" and "2026-11-23"; senast names the
// last day of a deadline in Swedish words, "tisdag 8 december", with the
// year when it differs from that of an optional second time ({{senast
// .Case.FinalDue .Case.ReceivedAt}}). An unset time renders as "–".
var funcs = template.FuncMap{
	"datetime": func(t time.Time) string { return formatTime(t, "2006-01-02 15:04") },
	"date":     func(t time.Time) string { return formatTime(t, "2006-01-02") },
	"senast":   lastDay,
	"sprak":    languageName,
}

// languageName names a language code in Swedish for staff ("en" →
// "engelska"); an unknown code is shown as it is.
func languageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

// languageNames are the Swedish names of the languages receipts may be
// written in or a message may be detected in.
var languageNames = map[string]string{"sv": "svenska", "en": "engelska", "fi": "finska", "fit": "meänkieli", "se": "samiska",
	"rom": "romani", "yi": "jiddisch", "ar": "arabiska", "fa": "persiska", "so": "somaliska", "pl": "polska",
	"de": "tyska", "es": "spanska", "fr": "franska", "ru": "ryska", "ti": "tigrinja"}

func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(stockholm).Format(layout)
}

// Templates is a complete, test-rendered set of notification templates.
// It is immutable and safe for concurrent use.
type Templates struct {
	set map[string]*template.Template // by file name
}

// DefaultTemplates returns the embedded templates.
func DefaultTemplates() *Templates {
	t, err := LoadTemplates("")
	if err != nil {
		panic(err) // cannot happen: tested
	}
	return t
}

// LoadTemplates returns the embedded templates, each replaced by the file of
// the same name in dir when there is one. dir "" means defaults only. An
// unknown *.tmpl file in dir, or an override that does not parse, lacks a
// required block or fails to render sample data, is an error naming the file.
func LoadTemplates(dir string) (*Templates, error) {
	if err := checkOverrideNames(dir); err != nil {
		return nil, err
	}
	t := &Templates{set: make(map[string]*template.Template)}
	for name, ch := range templateChannels {
		tmpl, err := loadOne(dir, name)
		if err == nil {
			err = tryRender(tmpl, ch)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", sourceOf(dir, name), err)
		}
		t.set[name] = tmpl
	}
	return t, nil
}

// checkOverrideNames rejects *.tmpl files in dir that override nothing, so a
// misspelt override does not silently fall back to the default.
func checkOverrideNames(dir string) error {
	if dir == "" {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		return fmt.Errorf("template dir %s: %w", dir, err)
	}
	for _, f := range files {
		if _, ok := templateChannels[filepath.Base(f)]; !ok {
			return fmt.Errorf("template %s: unknown template name (known: %s)", f, knownNames())
		}
	}
	return nil
}

func knownNames() string {
	names := make([]string, 0, len(templateChannels))
	for n := range templateChannels {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// sourceOf names where template name comes from, for error messages.
func sourceOf(dir, name string) string {
	if dir != "" {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "templates/" + name + " (embedded)"
}

func loadOne(dir, name string) (*template.Template, error) {
	src, err := readOverride(dir, name)
	if errors.Is(err, fs.ErrNotExist) {
		src, err = defaultFS.ReadFile("templates/" + name)
	}
	if err != nil {
		return nil, err
	}
	return template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(src))
}

func readOverride(dir, name string) ([]byte, error) {
	if dir == "" {
		return nil, fs.ErrNotExist
	}
	return os.ReadFile(filepath.Join(dir, name))
}

// tryRender executes tmpl with sample data so that mistakes such as unknown
// fields or a missing block show up when the templates are loaded.
func tryRender(tmpl *template.Template, ch synpunkt.Medium) error {
	blocks := []string{"body"}
	if ch == synpunkt.MediumEmail {
		blocks = append(blocks, "subject")
	}
	for _, b := range blocks {
		if tmpl.Lookup(b) == nil {
			return fmt.Errorf(`missing {{define %q}}`, b)
		}
		for _, d := range samples() {
			if err := tmpl.ExecuteTemplate(io.Discard, b, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// samples returns sample data that takes the common branches: a named
// citizen, an anonymous one, and no case at all.
func samples() []*TemplateData {
	named, anon, none := sampleData(), sampleData(), sampleData()
	anon.Anonymous, anon.Case.InitiatedBy = true, synpunkt.RoleAnonym
	none.Case = CaseInfo{}
	return []*TemplateData{named, anon, none}
}

func sampleData() *TemplateData {
	at := time.Date(2026, 11, 23, 13, 5, 0, 0, time.UTC)
	return &TemplateData{
		Org: Org{Name: "Exempelby kommun", MailboxAddress: "synpunkter@exempelby.se",
			FromHeader: "Exempelby kommun <synpunkter@exempelby.se>", Domain: "exempelby.se"},
		Case: CaseInfo{Number: "SYN-2026-00042", Category: synpunkt.DocKlagomal,
			Unit: "Gatu- och parkenheten", Committee: "Samhällsbyggnadsnämnden",
			InitiatedBy: synpunkt.RolePrivatperson, Description: "Klagomål på snöröjning",
			ReceivedAt: at, CitizenText: "Exempeltext", Deadline: at.Add(48 * time.Hour),
			FirstResponseDue: at.Add(48 * time.Hour), FinalDue: at.Add(14 * 24 * time.Hour)},
		ReplyTo: "synpunkter+SYN-2026-00042.x@exempelby.se", Deadline: at, Level: 1,
		Subject: "Ämne", Body: "Text",
	}
}

// render executes the template's subject (e-mail only) and body. The subject
// is folded onto one line; the body has LF line endings and ends with one.
func (t *Templates) render(name string, d *TemplateData) (subject, body string, err error) {
	tmpl := t.set[name]
	var sb, bb strings.Builder
	if templateChannels[name] == synpunkt.MediumEmail {
		if err := tmpl.ExecuteTemplate(&sb, "subject", d); err != nil {
			return "", "", fmt.Errorf("render %s subject: %w", name, err)
		}
	}
	if err := tmpl.ExecuteTemplate(&bb, "body", d); err != nil {
		return "", "", fmt.Errorf("render %s body: %w", name, err)
	}
	return oneLine(sb.String()), tidyBody(bb.String()), nil
}

// oneLine collapses all runs of white space, line breaks included, to single
// spaces, so a subject can never inject header lines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// tidyBody normalises line endings to LF, drops leading blank lines and
// trailing white space, and ends the text with a single LF.
func tidyBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimLeft(strings.TrimRight(s, " \t\n"), "\n") + "\n"
}
