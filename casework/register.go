package casework

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/notify"
	"github.com/exempelby/synpunkt/store"
)

// ErrInvalidRegistration is wrapped by a *RegistrationError when a
// registration is refused; nothing was written.
var ErrInvalidRegistration = errors.New("invalid registration")

// RegistrationError says why a registration was refused.
type RegistrationError struct {
	Field   string // channel, text, anonymous, from, phone, received
	Reason  string // in English, for the command line and logs
	Svenska string // the same in Swedish, for the clerk's mail
}

func (e *RegistrationError) Error() string { return "register: " + e.Field + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalidRegistration) hold.
func (e *RegistrationError) Unwrap() error { return ErrInvalidRegistration }

// Registration is a synpunkt a clerk registers on a citizen's behalf: a
// phone call, a visit, a letter or an e-service submission that did not
// reach the mailbox. It is registered like mail: one ledger row,
// classification, redaction, the forward to the handler and the receipt to
// the citizen's address or mobile number.
type Registration struct {
	Channel    synpunkt.Channel // one of synpunkt.RegisteredChannels
	Subject    string           // may be empty
	Text       string           // the citizen's synpunkt as the clerk took it down; required
	Email      string           // the citizen's address (may carry a name); may be empty
	Phone      string           // the citizen's Swedish mobile number, for an SMS receipt; may be empty
	Anonymous  bool             // the citizen wished to stay anonymous: no contact, no receipt
	ReceivedAt time.Time        // when the organisation received it, not in the future; zero: now
	Clerk      string           // who registers it ("cli" or a staff address), for the event log
}

// origin is what a clerk's registration adds to a new case: the channel
// and the contact the clerk gave. A nil origin is mail by its author.
type origin struct {
	channel   synpunkt.Channel
	contact   *store.Contact // nil: none given
	anonymous bool
	clerk     string
	ackTo     string // staff address told the case number; "" for none
}

// Register registers r through the same path as mail (see the package
// doc). It returns a *RegistrationError (wrapping ErrInvalidRegistration)
// when r is incomplete, names a channel a clerk does not register, or
// gives a contact no receipt can go to; otherwise only store and render
// errors. Registering the same r twice registers it once.
func (p *Intake) Register(ctx context.Context, r Registration) (Result, error) {
	o, email, err := p.checkRegistration(r.Channel, r.Text, r.Email, r.Phone, r.Anonymous)
	if err != nil {
		return Result{}, err
	}
	o.clerk = r.Clerk
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = p.now()
	}
	if r.ReceivedAt.After(p.now()) {
		return Result{}, &RegistrationError{Field: "received", Reason: "in the future", Svenska: "mottagningstiden ligger i framtiden"}
	}
	raw := registrationRaw(r)
	msg := &synpunkt.Message{Raw: raw, Subject: oneLine(r.Subject), Text: r.Text, From: synpunkt.Address{Addr: email}, Date: r.ReceivedAt}
	in := store.Intake{Key: store.IdempotencyKey("", raw), Source: "register:" + string(o.channel), ReceivedAt: r.ReceivedAt, Raw: raw}
	if outcome, caseID, seen, err := p.st.Seen(ctx, in.Key); err != nil || seen {
		if err != nil {
			return Result{}, err
		}
		return p.duplicate(ctx, outcome, caseID)
	}
	res, err := p.openCase(ctx, Source{Name: in.Source}, in, msg, "", "", false, o, nil)
	if errors.Is(err, store.ErrDuplicate) {
		return Result{Outcome: Duplicate}, nil
	}
	return res, err
}

// checkRegistration validates what a clerk gave and returns the origin
// with its contact, and the citizen's bare address ("" for none).
func (p *Intake) checkRegistration(ch synpunkt.Channel, text, email, phone string, anonymous bool) (*origin, string, error) {
	if !slices.Contains(synpunkt.RegisteredChannels, ch) {
		return nil, "", &RegistrationError{Field: "channel", Reason: fmt.Sprintf("%q is not one of %s", ch, channelList()),
			Svenska: fmt.Sprintf("kanalen %q finns inte; skriv en av %s", ch, channelList())}
	}
	if strings.TrimSpace(text) == "" {
		return nil, "", &RegistrationError{Field: "text", Reason: "empty", Svenska: "synpunkten saknar text"}
	}
	o := &origin{channel: ch, anonymous: anonymous}
	if anonymous && (email != "" || phone != "") {
		return nil, "", &RegistrationError{Field: "anonymous", Reason: "an anonymous citizen gives no address or phone number",
			Svenska: "en anonym synpunkt kan inte ha adress eller telefonnummer"}
	}
	c := &store.Contact{WantsReply: true}
	if email != "" {
		a, err := mail.ParseAddress(email)
		if err != nil || !usable(lower(a.Address)) {
			return nil, "", &RegistrationError{Field: "from", Reason: fmt.Sprintf("%q is not a usable mail address", email),
				Svenska: fmt.Sprintf("%q är ingen e-postadress som kan få svar", email)}
		}
		if c.Email = lower(a.Address); p.ownAddress(c.Email) {
			return nil, "", &RegistrationError{Field: "from", Reason: c.Email + " is the organisation's own address, not a citizen's",
				Svenska: c.Email + " är kommunens egen adress, inte medborgarens"}
		}
	}
	if phone != "" {
		e164, ok := notify.NormalizeSwedishMobile(phone)
		if !ok {
			return nil, "", &RegistrationError{Field: "phone", Reason: fmt.Sprintf("%q is not a Swedish mobile number (receipts go by SMS)", phone),
				Svenska: fmt.Sprintf("%q är inget svenskt mobilnummer (kvittensen går med sms)", phone)}
		}
		c.Phone = e164
	}
	if c.Email != "" || c.Phone != "" {
		o.contact = c
	}
	return o, c.Email, nil
}

func channelList() string {
	var names []string
	for _, c := range synpunkt.RegisteredChannels {
		names = append(names, string(c))
	}
	return strings.Join(names, ", ")
}

// registrationRaw is the original of a registration for the ledger: a
// plain message with what the clerk took down. The citizen's contact is
// kept with the case, not here.
func registrationRaw(r Registration) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "Date: %s\r\n", r.ReceivedAt.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(r.Subject)))
	fmt.Fprintf(&b, "X-Synpunkt-Channel: %s\r\n", mime.QEncoding.Encode("utf-8", string(r.Channel)))
	fmt.Fprintf(&b, "X-Synpunkt-Registered-By: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(r.Clerk)))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(r.Text, "\r\n", "\n"), "\n", "\r\n"))
	return []byte(b.String())
}

// oneLine folds a header value onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// registerPrefix starts the subject of a staff mail that registers the
// body as a citizen's synpunkt: "#registrera telefon: Trasig gatlykta".
const registerPrefix = "#registrera"

// isRegisterMail reports whether a subject starts with #registrera.
func isRegisterMail(subject string) bool {
	s := strings.ToLower(strings.TrimSpace(subject))
	rest, ok := strings.CutPrefix(s, registerPrefix)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == ':' || rest[0] == '\t')
}

// registerMail registers the body of a staff #registrera mail as a
// citizen's synpunkt by the channel the subject names. The body may open
// with "Från:"/"E-post:", "Telefon:" and "Anonym" lines for the citizen;
// the rest, without the clerk's signature, is the synpunkt. The clerk's mail,
// attachments and all, is the case's original. A refused registration is
// quarantined and the clerk told why. Only called for staff mail.
func (p *Intake) registerMail(ctx context.Context, src Source, in store.Intake, msg *synpunkt.Message) (Result, error) {
	channel, subject := parseRegisterSubject(msg.Subject)
	f := parseRegisterBody(msg.Text)
	o, email, err := p.checkRegistration(channel, f.text, f.email, f.phone, f.anonymous)
	var re *RegistrationError
	if errors.As(err, &re) {
		return p.refuseRegistration(ctx, in, msg, re)
	}
	if err != nil {
		return Result{}, err
	}
	o.clerk, o.ackTo = msg.From.Addr, msg.From.Addr
	reg := &synpunkt.Message{Raw: msg.Raw, MessageID: msg.MessageID, Subject: subject, Text: f.text, From: synpunkt.Address{Addr: email},
		To: msg.To, Date: msg.Date, Attachments: msg.Attachments}
	return p.openCase(ctx, src, in, reg, "", "", false, o, nil)
}

// parseRegisterSubject reads "#registrera KANAL[:] rubrik".
func parseRegisterSubject(subject string) (synpunkt.Channel, string) {
	rest := strings.TrimSpace(subject)[len(registerPrefix):]
	rest = strings.TrimLeft(rest, " \t:")
	word, tail, _ := strings.Cut(rest, " ")
	word, colon := strings.CutSuffix(word, ":")
	ch, ok := synpunkt.ParseChannel(word)
	if !ok {
		ch = synpunkt.Channel(word)
	}
	if !colon {
		tail = strings.TrimLeft(tail, " :")
	}
	return ch, strings.TrimSpace(tail)
}

// registerFields are what a #registrera body says about the citizen.
type registerFields struct {
	email, phone string
	anonymous    bool
	text         string
}

// parseRegisterBody reads the leading contact lines and the text, cut at
// the signature delimiter ("-- ", RFC 3676 §4.3).
func parseRegisterBody(body string) registerFields {
	var f registerFields
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	i := 0
contact:
	for ; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" {
			continue
		}
		label, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(label)) {
		case "från", "e-post", "epost", "mejl":
			f.email = value
		case "telefon", "tel", "mobil":
			f.phone = value
		case "anonym":
			f.anonymous = value == "" || strings.EqualFold(value, "ja")
		default:
			break contact
		}
	}
	rest := lines[i:]
	for j, l := range rest {
		if strings.TrimRight(l, " \t") == "--" {
			rest = rest[:j]
			break
		}
	}
	f.text = strings.TrimSpace(strings.Join(rest, "\n"))
	return f
}

// refuseRegistration quarantines a #registrera mail that cannot be
// registered and tells the clerk why, in one transaction.
func (p *Intake) refuseRegistration(ctx context.Context, in store.Intake, msg *synpunkt.Message, re *RegistrationError) (Result, error) {
	reason := re.Error()
	body := "Ditt meddelande kunde inte registreras som synpunkt: " + re.Svenska + ".\n\n" +
		"Skicka det igen med ämnesraden \"#registrera KANAL: rubrik\", där KANAL är en av " + channelList() + ". " +
		"Texten börjar med raderna \"Från: adress\" eller \"Telefon: mobilnummer\" (eller \"Anonym\") och sedan synpunkten."
	o, err := p.compose.Notice(msg.From.Addr, "Inte registrerat: "+oneLine(msg.Subject), body, nil)
	if err != nil {
		return Result{}, fmt.Errorf("render registration refusal: %w", err)
	}
	ev := []store.Event{{Actor: "intake", Kind: "quarantined", Detail: reason}}
	err = p.st.RecordIntake(ctx, in, store.OutcomeQuarantine, reason, 0, ev, []synpunkt.Notification{*o})
	if errors.Is(err, store.ErrDuplicate) {
		return Result{Outcome: Quarantined, Reason: "already quarantined: " + reason}, nil
	}
	if err != nil {
		return Result{}, err
	}
	p.committed(1)
	p.log.Info("registration refused", "field", re.Field)
	return Result{Outcome: Quarantined, Reason: reason}, nil
}
