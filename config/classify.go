package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/exempelby/synpunkt"
)

// ClassifySettings is the [classify] section: how package classify decides
// category, responsible unit and exclusions. The routing table itself is
// [[units]]; this section holds everything else. Every field has a usable
// default (DefaultClassifySettings), so the section may be left out.
type ClassifySettings struct {
	// TriageUnit names the unit (name or alias) that gets a message when
	// routing is below MinConfidence. Empty: the unit marked default.
	TriageUnit string `toml:"triage_unit"`
	// MinConfidence is the unit confidence (0..1) below which a message
	// goes to the triage unit instead of a guess. Default 0.5.
	MinConfidence float64 `toml:"min_confidence"`
	// DefaultCategory is the category when no category rule matches at
	// all. Default "Klagomål".
	DefaultCategory string `toml:"default_category"`
	// Builtin turns on the built-in Swedish/English vocabulary for
	// categories and common municipal topics. A unit gets a topic area's
	// vocabulary when an alias names the area, or else when its name,
	// keywords or committee point at it (see package classify;
	// check-config lists each unit's areas). Default true.
	Builtin bool `toml:"builtin"`
	// InternalStaff treats a sender in organisation.domains as staff: the
	// message is excluded with class "intern" (Burlöv: internal synpunkter
	// are not synpunkter). Form senders and staff forwarding a citizen's
	// mail are exempt. Default true.
	InternalStaff bool `toml:"internal_staff"`
	// Forms lists the web-form senders whose mail carries labelled fields.
	Forms []FormSender `toml:"forms"`
	// Exclusions lists the classes of mail that are not synpunkter.
	Exclusions []Exclusion `toml:"exclusions"`
	// CategoryRules add to (or, with a negative weight, damp) the built-in
	// category vocabulary.
	CategoryRules []CategoryRule `toml:"category_rules"`
	// Registry is the registrator's address: a request for public
	// documents (begäran om allmän handling) is forwarded there at once
	// and opens no synpunkt case. Empty: the triage unit's manager.
	Registry string `toml:"registry"`
}

// FormSender is a web form (e-tjänst) that mails submissions from a no-reply
// address with "Label: value" lines.
type FormSender struct {
	// From is the form's sender address, e.g. "noreply-e-tjanst@exempelby.se".
	From string `toml:"from"`
	// Labels maps a label as written in the mail (case-insensitive, without
	// the colon) to a field: name, email, phone, category, unit, text,
	// wants_reply, anonymous, subject. Unlisted labels are ignored. Empty:
	// the Swedish defaults (Namn, E-post, Telefon, Kategori, Verksamhet,
	// Meddelande, Vill du ha svar, Anonym, Ämne).
	Labels map[string]string `toml:"labels"`
}

// FormFields are the field names a FormSender label can map to.
var FormFields = []string{"name", "email", "phone", "category", "unit", "text", "wants_reply", "anonymous", "subject"}

// Exclusion is a class of mail that is not a synpunkt: no case is opened,
// the message is forwarded to Destination with Note, and the sender gets
// Reply (or nothing).
type Exclusion struct {
	// Class names the class, e.g. "politisk", "avvikelse", "krankning",
	// "intern". The class "intern" is decided by InternalStaff, not by
	// keywords.
	Class string `toml:"class"`
	// Destination is the address the message is forwarded to.
	Destination string `toml:"destination"`
	// Note is the short note put on top of the forward.
	Note string `toml:"note"`
	// Reply is the neutral reply to the sender; empty: no reply.
	Reply string `toml:"reply"`
	// Keywords are words or phrases (same syntax as category rules) that
	// mark the class; MinScore of them must match.
	Keywords []string `toml:"keywords"`
	// Senders are addresses or domains ("@parti.se" or "parti.se") whose
	// mail always belongs to the class.
	Senders []string `toml:"senders"`
	// MinScore is how many keyword matches are needed. Default 2; a
	// keyword written with a leading "!" counts 2.
	MinScore int `toml:"min_score"`
}

// CategoryRule weighs words or phrases toward a category.
type CategoryRule struct {
	// Category is one of Beröm, Klagomål, Förslag, Fråga, Felanmälan.
	Category string `toml:"category"`
	// Words are words or phrases. Matching is on light Swedish stems, so
	// "trasig" also matches "trasiga" and compounds ("gatlyktan" matches
	// "lykta"); "=ord" matches the exact word only.
	Words []string `toml:"words"`
	// Weight is added per match; negative damps. Default 2.
	Weight float64 `toml:"weight"`
}

// DefaultClassifySettings returns the defaults of the [classify] section.
func DefaultClassifySettings() ClassifySettings {
	return ClassifySettings{MinConfidence: 0.5, DefaultCategory: "Klagomål", Builtin: true, InternalStaff: true}
}

var categoryNames = []string{"Beröm", "Klagomål", "Förslag", "Fråga", "Felanmälan"}

// validateClassify checks [classify]; it runs after the units are checked.
func (c *Config) validateClassify() error {
	s := c.Classify
	if s.TriageUnit != "" && !hasUnit(c.Units, s.TriageUnit) {
		return bad("classify.triage_unit", "no unit or alias %q", s.TriageUnit)
	}
	if s.MinConfidence < 0 || s.MinConfidence > 1 {
		return bad("classify.min_confidence", "must be between 0 and 1")
	}
	if !slices.Contains(categoryNames, s.DefaultCategory) {
		return bad("classify.default_category", "must be one of %s", strings.Join(categoryNames, ", "))
	}
	for i, f := range s.Forms {
		if err := validateForm(fmt.Sprintf("classify.forms[%d]", i), f); err != nil {
			return err
		}
	}
	if s.Registry != "" {
		if err := checkAddr("classify.registry", s.Registry); err != nil {
			return err
		}
	}
	if err := validateExclusions(s.Exclusions); err != nil {
		return err
	}
	for i, r := range s.CategoryRules {
		key := fmt.Sprintf("classify.category_rules[%d]", i)
		if !slices.Contains(categoryNames, r.Category) {
			return bad(key+".category", "must be one of %s", strings.Join(categoryNames, ", "))
		}
		if len(r.Words) == 0 {
			return bad(key+".words", "must list at least one word")
		}
	}
	return nil
}

func validateForm(key string, f FormSender) error {
	if err := checkAddr(key+".from", f.From); err != nil {
		return err
	}
	for label, field := range f.Labels {
		if !slices.Contains(FormFields, field) {
			return bad(key+".labels", "label %q maps to unknown field %q (want one of %s)", label, field, strings.Join(FormFields, ", "))
		}
	}
	return nil
}

func validateExclusions(xs []Exclusion) error {
	seen := map[string]bool{}
	for i, x := range xs {
		key := fmt.Sprintf("classify.exclusions[%d]", i)
		if x.Class == "" {
			return bad(key+".class", "must be set")
		}
		if seen[x.Class] {
			return bad(key+".class", "duplicate class %q", x.Class)
		}
		seen[x.Class] = true
		if err := checkAddr(key+".destination", x.Destination); err != nil {
			return err
		}
		if x.Class != "intern" && len(x.Keywords) == 0 && len(x.Senders) == 0 {
			return bad(key+".keywords", "class %q needs keywords or senders", x.Class)
		}
		if x.MinScore < 0 {
			return bad(key+".min_score", "must not be negative")
		}
	}
	return nil
}

func hasUnit(us synpunkt.Units, name string) bool {
	_, ok := us.Index(name)
	return ok
}
