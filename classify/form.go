package classify

import (
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

// FormData holds the fields of a web-form submission. Values are raw as
// typed by the citizen, trimmed. When Anonymous is set, Name, Email and
// Phone are cleared here, so nothing downstream can register or answer
// them.
type FormData struct {
	Name, Email, Phone string
	Subject            string
	Text               string // the message field, may span several lines
	Category           string // raw value of the category field, e.g. "Felanmälan"
	Unit               string // raw value of the unit field, e.g. "Vatten och avlopp"
	WantsReply         bool
	Anonymous          bool
}

// ReceiptAddress is where the receipt goes: the citizen's address from the
// form, never the form's no-reply sender; "" when anonymous or not given.
func (f *FormData) ReceiptAddress() string {
	if f == nil || f.Anonymous {
		return ""
	}
	return f.Email
}

// defaultFormLabels are the Swedish labels of a typical municipal e-form.
var defaultFormLabels = map[string]string{
	"namn": "name", "e-post": "email", "epost": "email", "e-postadress": "email", "telefon": "phone", "telefonnummer": "phone",
	"kategori": "category", "typ": "category", "verksamhet": "unit", "område": "unit", "meddelande": "text", "synpunkt": "text",
	"beskrivning": "text", "vill du ha svar": "wants_reply", "önskar svar": "wants_reply", "anonym": "anonymous", "ämne": "subject", "rubrik": "subject",
}

// formSpec is a compiled FormSender.
type formSpec struct {
	labels map[string]string // lower-cased label → field
}

func newFormSpec(f config.FormSender) formSpec {
	m := defaultFormLabels
	if len(f.Labels) > 0 {
		m = map[string]string{}
		for k, v := range f.Labels {
			m[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	return formSpec{labels: m}
}

// parse reads "Label: value" lines. The text field continues over lines
// until the next known label.
func (s formSpec) parse(text string) *FormData {
	// A form without a "Vill du ha svar" field has not asked: the citizen
	// is answered; only an explicit "Nej" declines.
	f := &FormData{WantsReply: true}
	field := ""
	var msg []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			if name, known := s.labels[strings.ToLower(strings.TrimSpace(k))]; known {
				field = name
				v = strings.TrimSpace(v)
				if field == "text" {
					msg = append(msg, v)
				} else {
					f.set(field, v)
				}
				continue
			}
		}
		if field == "text" {
			msg = append(msg, line)
		}
	}
	f.Text = strings.TrimSpace(strings.Join(msg, "\n"))
	if f.Anonymous {
		f.Name, f.Email, f.Phone = "", "", ""
	}
	return f
}

func (f *FormData) set(field, v string) {
	switch field {
	case "name":
		f.Name = v
	case "email":
		f.Email = strings.ToLower(v)
	case "phone":
		f.Phone = v
	case "category":
		f.Category = v
	case "unit":
		f.Unit = v
	case "subject":
		f.Subject = v
	case "wants_reply":
		f.WantsReply = yes(v)
	case "anonymous":
		f.Anonymous = yes(v)
	}
}

func yes(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "ja", "j", "yes", "y", "true", "x", "1":
		return true
	}
	return false
}

// formCategories maps category field values to categories.
var formCategories = map[string]synpunkt.DocType{
	"beröm": synpunkt.DocBerom, "klagomål": synpunkt.DocKlagomal, "förslag": synpunkt.DocForslag, "fråga": synpunkt.DocFraga,
	"felanmälan": synpunkt.DocFelanmalan, "praise": synpunkt.DocBerom, "complaint": synpunkt.DocKlagomal,
	"suggestion": synpunkt.DocForslag, "question": synpunkt.DocFraga, "fault report": synpunkt.DocFelanmalan,
}

// unnamedForm reads text as a form with the default labels when it looks
// like one: a message field and a name, e-mail or phone field, each on a
// line of its own, and no e-mail field with an address of the
// organisation's own (a colleague's note is not a citizen's form). It
// returns nil otherwise.
func (c *Classifier) unnamedForm(text string) *FormData {
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok {
			if name, known := unnamedFormLabels[strings.ToLower(strings.TrimSpace(k))]; known {
				seen[name] = true
			}
		}
	}
	if !seen["text"] || !(seen["name"] || seen["email"] || seen["phone"]) {
		return nil
	}
	f := formSpec{labels: unnamedFormLabels}.parse(text)
	if f.Text == "" || f.Email != "" && c.isOwn(f.Email) {
		return nil
	}
	return f
}

// unnamedFormLabels are the default labels and the other usual wordings
// of an e-service's fields, for forms the config does not describe.
var unnamedFormLabels = func() map[string]string {
	m := map[string]string{
		"ditt namn": "name", "förnamn och efternamn": "name", "name": "name", "din e-post": "email", "din e-postadress": "email",
		"mejl": "email", "mejladress": "email", "e-mail": "email", "email": "email", "mobil": "phone", "mobilnummer": "phone", "phone": "phone",
		"din synpunkt": "text", "ditt meddelande": "text", "fritext": "text", "beskriv ditt ärende": "text", "ditt ärende": "text", "message": "text",
		"ärendetyp": "category", "vill du bli kontaktad": "wants_reply",
	}
	for k, v := range defaultFormLabels {
		m[k] = v
	}
	return m
}()
