package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/casework"
	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
)

// countLimit bounds the count of a filtered search (store.CaseQuery's
// CountLimit): beyond it a page says "fler än 1000".
const countLimit = 1000

type listData struct {
	Form      url.Values
	Cases     []synpunkt.Case
	Total     int
	More      bool // more than Total match (the count stopped at countLimit)
	Facets    store.Facets
	Statuses  []synpunkt.Status
	Now       time.Time
	Originals bool
}

func parseDay(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), stockholm)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request, sess *session) {
	u := &sess.User
	if !seesCases(u) {
		s.deny(w, r, sess, "list_cases", 0)
		return
	}
	f := r.URL.Query()
	q := store.CaseQuery{Text: f.Get("q"), Originals: readsOriginals(u), Status: synpunkt.Status(f.Get("status")), Unit: f.Get("enhet"),
		Committee: f.Get("namnd"), Category: f.Get("kategori"), Channel: f.Get("kanal"), Overdue: f.Get("forsenade") != "",
		Now: s.opt.Now(), From: parseDay(f.Get("fran")), Limit: 200, CountLimit: countLimit}
	if to := parseDay(f.Get("till")); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1)
	}
	if u.Role == RoleEnhet {
		q.Units = append([]string{}, u.Units...)
	}
	cases, total, err := s.st.SearchCases(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	facets, err := s.st.CaseFacets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Text != "" {
		s.audit(r.Context(), store.Access{Actor: u.Name, Action: "search", Detail: fmt.Sprintf("%d träffar", total)})
	}
	p := s.basePage(sess, "Ärenden", "arenden")
	more := total > countLimit
	if more {
		total = countLimit
	}
	p.Data = listData{Form: f, Cases: cases, Total: total, More: more, Facets: facets, Statuses: []synpunkt.Status{synpunkt.StatusOpen, synpunkt.StatusClosed},
		Now: s.opt.Now(), Originals: q.Originals}
	s.render(w, r, http.StatusOK, "cases", p)
}

type caseData struct {
	Case      synpunkt.Case
	Events    []store.EventRow
	Outbox    []store.OutboxRow
	Access    []store.Access
	Units     []string
	Originals bool
	Acts      bool
	Preserves bool // may mark the case to be preserved (bevaras)
	Overdue   bool
	Original  *originalView
	Preview   *previewView
	Note      string
}

type originalView struct {
	DocumentID  int64
	Subject     string
	Text        string
	Attachments []synpunkt.Attachment
}

type previewView struct {
	Channel, To, Text string
	None              bool
}

// openCase loads the case named in the path and checks that the user may
// open it; it has answered (404, 403) when ok is false.
func (s *Server) openCase(w http.ResponseWriter, r *http.Request, sess *session, action string) (synpunkt.Case, bool) {
	c, err := s.st.CaseByNumber(r.Context(), r.PathValue("number"))
	if errors.Is(err, store.ErrNotFound) {
		if !seesCases(&sess.User) {
			s.deny(w, r, sess, action, 0)
			return c, false
		}
		p := s.basePage(sess, "Ärendet finns inte", "arenden")
		s.render(w, r, http.StatusNotFound, "notfound", p)
		return c, false
	}
	if err != nil {
		s.fail(w, r, err)
		return c, false
	}
	if !mayOpen(&sess.User, c.Unit) {
		s.deny(w, r, sess, action, c.ID)
		return c, false
	}
	return c, true
}

func (s *Server) caseData(r *http.Request, sess *session, c synpunkt.Case) (caseData, error) {
	ctx := r.Context()
	d := caseData{Case: c, Units: s.opt.Units, Originals: readsOriginals(&sess.User), Acts: acts(&sess.User), Preserves: preserves(&sess.User)}
	var err error
	if d.Events, err = s.st.Events(ctx, c.ID); err != nil {
		return d, err
	}
	if d.Outbox, err = s.st.OutboxForCase(ctx, c.ID); err != nil {
		return d, err
	}
	if d.Access, err = s.st.AccessLog(ctx, c.ID); err != nil {
		return d, err
	}
	now := s.opt.Now()
	// Overdue at or after a deadline, as cases --overdue, the search's
	// "Bara försenade" and the digest count it.
	d.Overdue = c.Status == synpunkt.StatusOpen && ((c.FirstResponseAt.IsZero() && !c.FirstResponseDue.IsZero() && !now.Before(c.FirstResponseDue)) ||
		(!c.FinalDue.IsZero() && !now.Before(c.FinalDue)))
	return d, nil
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request, sess *session, c synpunkt.Case, status int, flash, errText string, edit func(*caseData)) {
	d, err := s.caseData(r, sess, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if edit != nil {
		edit(&d)
	}
	p := s.basePage(sess, "Ärende "+c.Number, "arenden")
	p.Data, p.Flash, p.Error = d, flash, errText
	s.render(w, r, status, "case", p)
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, sess *session) {
	c, ok := s.openCase(w, r, sess, "view_case")
	if !ok {
		return
	}
	s.audit(r.Context(), store.Access{Actor: sess.User.Name, Action: "view_case", CaseID: c.ID})
	flash := map[string]string{"stangt": "Ärendet är avslutat.", "oppnat": "Ärendet är öppnat igen.", "flyttat": "Ärendet är flyttat.",
		"anteckning": "Anteckningen är sparad.", "skickas": "Det som misslyckades skickas igen.", "registrerat": "Synpunkten är registrerad.", "bevarat": "Ärendet ska bevaras och gallras inte."}[r.URL.Query().Get("klart")]
	s.showCase(w, r, sess, c, http.StatusOK, flash, "", nil)
}

// original shows a document's original message. It is a POST (a click
// on a button, never a prefetch) and is written to the access log and to
// the case's own event log before anything is shown.
func (s *Server) original(w http.ResponseWriter, r *http.Request, sess *session) {
	c, ok := s.openCase(w, r, sess, "read_original")
	if !ok {
		return
	}
	docID, _ := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	inCase := false
	for _, d := range c.Documents {
		inCase = inCase || d.ID == docID
	}
	if !readsOriginals(&sess.User) || !inCase {
		s.deny(w, r, sess, "read_original", c.ID)
		return
	}
	ctx := r.Context()
	raw, err := s.st.Original(ctx, docID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	if err := s.st.LogAccess(ctx, store.Access{Actor: sess.User.Name, Action: "read_original", CaseID: c.ID, DocumentID: docID}); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.st.AddEvent(ctx, c.ID, store.Event{Actor: sess.User.Name, Kind: "original_read", Detail: fmt.Sprintf("dokument %d", docID)}); err != nil {
		s.fail(w, r, err)
		return
	}
	view := &originalView{DocumentID: docID}
	if text, err := s.st.DocumentText(ctx, docID); err == nil {
		view.Text = text
	}
	if len(raw) > 0 {
		if m, err := mimeparse.Parse(raw); err == nil {
			view.Subject, view.Attachments = m.Subject, m.Attachments
			if view.Text == "" {
				view.Text = m.Text
			}
		}
	}
	s.showCase(w, r, sess, c, http.StatusOK, "", "", func(d *caseData) { d.Original = view })
}

func (s *Server) caseAction(w http.ResponseWriter, r *http.Request, sess *session) {
	action := r.PathValue("action")
	c, ok := s.openCase(w, r, sess, action)
	if !ok {
		return
	}
	if !acts(&sess.User) && !(action == "bevara" && preserves(&sess.User)) {
		s.deny(w, r, sess, action, c.ID)
		return
	}
	ctx, actor := r.Context(), sess.User.Name
	var err error
	done := ""
	switch action {
	case "stang":
		note := r.PostFormValue("anteckning")
		if r.PostFormValue("bekrafta") == "" {
			s.closePreview(w, r, sess, c, note)
			return
		}
		done = "stangt"
		_, err = s.opt.Casework.Close(ctx, c.Number, note, actor)
	case "oppna":
		_, err = s.opt.Casework.Reopen(ctx, c.Number, actor)
		done = "oppnat"
	case "flytta":
		_, err = s.opt.Casework.Route(ctx, c.Number, r.PostFormValue("enhet"), actor)
		done = "flyttat"
	case "anteckning":
		err = s.opt.Casework.Note(ctx, c.Number, r.PostFormValue("text"), actor)
		done = "anteckning"
	case "bevara":
		reason := strings.TrimSpace(r.PostFormValue("skal"))
		if reason == "" {
			s.showCase(w, r, sess, c, http.StatusUnprocessableEntity, "", "Ange ett skäl till att ärendet ska bevaras.", nil)
			return
		}
		err = s.st.Preserve(ctx, c.ID, actor, "", reason)
		done = "bevarat"
	case "skicka-igen":
		var ids []int64
		ids, err = s.st.Resend(ctx, c.ID, actor)
		if err == nil && len(ids) > 0 && s.opt.Kick != nil {
			s.opt.Kick()
		}
		done = "skickas"
	default:
		http.NotFound(w, r)
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	s.audit(ctx, store.Access{Actor: actor, Action: action, CaseID: c.ID, Outcome: outcome})
	if err != nil {
		if msg, ok := userError(err); ok {
			s.showCase(w, r, sess, c, http.StatusUnprocessableEntity, "", msg, nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/arenden/"+url.PathEscape(c.Number)+"?klart="+done, http.StatusSeeOther)
}

// userError words the errors a clerk can fix in Swedish.
func userError(err error) (string, bool) {
	switch {
	case errors.Is(err, casework.ErrNoteRequired):
		return "Ett anonymt ärende kan bara avslutas med en anteckning om hur det hanterades.", true
	case errors.Is(err, casework.ErrEmptyNote):
		return "Anteckningen är tom.", true
	case errors.Is(err, casework.ErrUnknownUnit):
		return "Det finns ingen sådan enhet.", true
	}
	return "", false
}

func (s *Server) closePreview(w http.ResponseWriter, r *http.Request, sess *session, c synpunkt.Case, note string) {
	o, err := s.opt.Casework.ClosingPreview(r.Context(), c.Number, note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pv := &previewView{None: o == nil}
	if o != nil {
		pv.Channel, pv.To, pv.Text = string(o.Channel), o.To, string(o.Payload)
		if o.Channel == synpunkt.MediumEmail {
			if m, err := mimeparse.Parse(o.Payload); err == nil {
				pv.Text = m.Text
			}
		}
	}
	s.showCase(w, r, sess, c, http.StatusOK, "", "", func(d *caseData) { d.Preview, d.Note = pv, note })
}

type registerData struct {
	Channels []synpunkt.Channel
	Form     url.Values
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, sess *session) {
	if !acts(&sess.User) {
		s.deny(w, r, sess, "register", 0)
		return
	}
	p := s.basePage(sess, "Registrera synpunkt", "registrera")
	p.Data = registerData{Channels: synpunkt.RegisteredChannels, Form: url.Values{}}
	s.render(w, r, http.StatusOK, "register", p)
}

// register registers a phone call, visit, letter or e-service submission
// through the same pipeline as the register command.
func (s *Server) register(w http.ResponseWriter, r *http.Request, sess *session) {
	if !acts(&sess.User) {
		s.deny(w, r, sess, "register", 0)
		return
	}
	ch, _ := synpunkt.ParseChannel(r.PostFormValue("kanal"))
	reg := casework.Registration{Channel: ch, Subject: r.PostFormValue("rubrik"), Text: r.PostFormValue("text"),
		Email: strings.TrimSpace(r.PostFormValue("epost")), Phone: strings.TrimSpace(r.PostFormValue("telefon")),
		Anonymous: r.PostFormValue("anonym") != "", Clerk: sess.User.Name}
	res, err := s.opt.Intake.Register(r.Context(), reg)
	var re *casework.RegistrationError
	if errors.As(err, &re) {
		p := s.basePage(sess, "Registrera synpunkt", "registrera")
		p.Error = "Kunde inte registrera: " + re.Svenska + "."
		p.Data = registerData{Channels: synpunkt.RegisteredChannels, Form: r.PostForm}
		s.render(w, r, http.StatusUnprocessableEntity, "register", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.Case == "" || res.Repeat {
		p := s.basePage(sess, "Registrera synpunkt", "registrera")
		p.Flash = "Synpunkten var redan registrerad."
		p.Data = registerData{Channels: synpunkt.RegisteredChannels, Form: url.Values{}}
		s.render(w, r, http.StatusOK, "register", p)
		return
	}
	if c, err := s.st.CaseByNumber(r.Context(), res.Case); err == nil {
		s.audit(r.Context(), store.Access{Actor: sess.User.Name, Action: "register", CaseID: c.ID})
	}
	http.Redirect(w, r, "/arenden/"+url.PathEscape(res.Case)+"?klart=registrerat", http.StatusSeeOther)
}
