package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLoginSameAnswerAndLockout: a wrong password and an unknown name get
// the same answer; three failures lock the account even for the right
// password; the lock runs out.
func TestLoginSameAnswerAndLockout(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	code1, body1, _ := e.post(c, "/login", url.Values{"anvandare": {"klara"}, "losenord": {"fel lösenord här"}})
	code2, body2, _ := e.post(c, "/login", url.Values{"anvandare": {"finnsinte"}, "losenord": {"fel lösenord här"}})
	if code1 != http.StatusUnauthorized || code1 != code2 || body1 != body2 {
		t.Errorf("wrong password → %d, unknown user → %d, same page %v; want 401 twice, the same page", code1, code2, body1 == body2)
	}
	e.post(c, "/login", url.Values{"anvandare": {"klara"}, "losenord": {"fel igen, fel igen"}})
	e.post(c, "/login", url.Values{"anvandare": {"klara"}, "losenord": {"fel en tredje gång"}})
	if code, _, _ := e.post(c, "/login", url.Values{"anvandare": {"klara"}, "losenord": {testPassword}}); code != http.StatusUnauthorized {
		t.Errorf("right password while locked → %d, want 401", code)
	}
	e.clock.Advance(16 * time.Minute)
	if code, _, loc := e.post(c, "/login", url.Values{"anvandare": {"klara"}, "losenord": {testPassword}}); code != http.StatusSeeOther || loc != "/arenden" {
		t.Errorf("right password after the lockout → %d %q, want 303 /arenden", code, loc)
	}
	resp, _ := e.client().PostForm(e.srv.URL+"/login", url.Values{"anvandare": {"erik"}, "losenord": {testPassword}})
	var cookie *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == sessionCookie {
			cookie = k
		}
	}
	if cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Errorf("session cookie = %+v, want Secure, HttpOnly, SameSite=Strict", cookie)
	}
}

// TestSessionExpiresAndCSRF: a POST without the token is refused and
// does nothing; a session ends after its TTL.
func TestSessionExpiresAndCSRF(t *testing.T) {
	e := newEnv(t)
	c, _ := e.login("klara")
	code, _, _ := e.post(c, "/arenden/"+e.va+"/anteckning", url.Values{"text": {"utan token"}})
	if code != http.StatusForbidden {
		t.Errorf("POST without CSRF → %d, want 403", code)
	}
	c2, _ := e.d.Store.CaseByNumber(context.Background(), e.va)
	evs, _ := e.d.Store.Events(context.Background(), c2.ID)
	for _, ev := range evs {
		if ev.Detail == "utan token" {
			t.Error("the note without a CSRF token was saved")
		}
	}
	e.clock.Advance(9 * time.Hour)
	if code, _ := e.get(c, "/arenden"); code != http.StatusSeeOther {
		t.Errorf("GET /arenden after the session's TTL → %d, want 303 to /login", code)
	}
}

// TestEnhetSeesOnlyItsUnits: erik (enhet, Gatu- och parkenheten) gets
// 403 for a VA case by URL, and the refusal is in the access log; his
// list holds only his unit's cases.
func TestEnhetSeesOnlyItsUnits(t *testing.T) {
	e := newEnv(t)
	c, _ := e.login("erik")
	if code, _ := e.get(c, "/arenden/"+e.va); code != http.StatusForbidden {
		t.Errorf("erik GET %s → %d, want 403", e.va, code)
	}
	if code, _ := e.get(c, "/arenden/"+e.gata); code != http.StatusOK {
		t.Errorf("erik GET %s → %d, want 200", e.gata, code)
	}
	_, list := e.get(c, "/arenden")
	if strings.Contains(list, e.va) || !strings.Contains(list, e.gata) {
		t.Errorf("erik's list shows %s: %v, %s: %v; want only his unit's", e.va, strings.Contains(list, e.va), e.gata, strings.Contains(list, e.gata))
	}
	va, _ := e.d.Store.CaseByNumber(context.Background(), e.va)
	log, _ := e.d.Store.AccessLog(context.Background(), va.ID)
	if len(log) == 0 || log[0].Actor != "erik" || log[0].Outcome != "denied" {
		t.Errorf("access log of %s = %+v, want erik denied", e.va, log)
	}
	a, _ := e.login("ada")
	if code, _ := e.get(a, "/arenden/"+e.gata); code != http.StatusForbidden {
		t.Errorf("admin GET a case → %d, want 403", code)
	}
}

// TestSearchByOriginalOnlyForReaders: klara finds the case by the
// citizen's name; rut (registrator) does not, since she reads no
// originals; both find it by a word of the description.
func TestSearchByOriginalOnlyForReaders(t *testing.T) {
	e := newEnv(t)
	k, _ := e.login("klara")
	r, _ := e.login("rut")
	// The street name is in the ärendemening (not personal data); the
	// citizen's name is only in the original.
	if _, p := e.get(k, "/arenden?q=Lindqvist"); !strings.Contains(p, e.gata) {
		t.Errorf("klara's search for the citizen's name misses %s", e.gata)
	}
	if _, p := e.get(r, "/arenden?q=Lindqvist"); strings.Contains(p, e.gata) {
		t.Errorf("rut's search for the citizen's name finds %s, want nothing (no originals)", e.gata)
	}
	if _, p := e.get(r, "/arenden?kategori=x&status=avslutat"); strings.Contains(p, e.gata) {
		t.Errorf("filter status=avslutat shows the open case %s", e.gata)
	}
}

// TestOriginalReadIsLogged: reading the original is a POST that lands in
// the access log and the case's own event log with the reader's name;
// every action carries the person as actor.
func TestOriginalReadIsLogged(t *testing.T) {
	e := newEnv(t)
	c, csrf := e.login("klara")
	ctx := context.Background()
	cs, _ := e.d.Store.CaseByNumber(ctx, e.gata)
	_, page := e.get(c, "/arenden/"+e.gata)
	if strings.Contains(page, "Solrosvägen 14") || strings.Contains(page, "Lindqvist") {
		t.Error("the case page shows the original text before the click")
	}
	code, page, _ := e.post(c, "/arenden/"+e.gata+"/original/"+itoa(cs.Documents[0].ID), url.Values{"csrf": {csrf}})
	if code != http.StatusOK || !strings.Contains(page, "Solrosvägen 14") {
		t.Fatalf("read original → %d, text shown %v", code, strings.Contains(page, "Solrosvägen 14"))
	}
	evs, _ := e.d.Store.Events(ctx, cs.ID)
	found := false
	for _, ev := range evs {
		found = found || (ev.Kind == "original_read" && ev.Actor == "klara")
	}
	if !found {
		t.Errorf("events of %s lack original_read by klara: %+v", e.gata, evs)
	}
	if code, _, _ := e.post(c, "/arenden/"+e.gata+"/anteckning", url.Values{"csrf": {csrf}, "text": {"Ringt tillbaka"}}); code != http.StatusSeeOther {
		t.Errorf("note → %d, want 303", code)
	}
	evs, _ = e.d.Store.Events(ctx, cs.ID)
	if last := evs[len(evs)-1]; last.Actor != "klara" {
		t.Errorf("last event = %+v, want actor klara", last)
	}
}

// TestPublicDiaryHasNoPersonalData plants personal data in the cases and
// crawls every public page and the feed for it: none may appear, nor the
// sensitive case's description.
func TestPublicDiaryHasNoPersonalData(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	secret, _ := e.d.Store.CaseByNumber(context.Background(), e.secret)
	forbidden := append(append([]string{}, planted...), "Kalle", "ADHD", "201203041234")
	if !secret.Sensitive {
		forbidden = forbidden[:len(planted)]
		t.Logf("note: %s was not judged sensitive; its description is checked only for the planted data", e.secret)
	} else {
		forbidden = append(forbidden, secret.Description)
	}
	pages := map[string]string{"/diarium": "", "/diarium.json": "", "/login": "", "/static/style.css": ""}
	for _, q := range append(append([]string{}, planted...), "gatlampa", "ADHD", "Kalle", "son", "*", "\"") {
		pages["/diarium?q="+url.QueryEscape(q)], pages["/diarium.json?q="+url.QueryEscape(q)] = q, q
	}
	for p, q := range pages {
		code, body := e.get(c, p)
		// The search box echoes what was typed; that is not a leak.
		body = strings.Replace(body, `value="`+template.HTMLEscapeString(q)+`"`, "", 1)
		if code != http.StatusOK {
			t.Errorf("GET %s → %d, want 200 without login", p, code)
		}
		if x := containsAny(body, forbidden); x != "" {
			t.Errorf("GET %s shows %q", p, x)
		}
	}
	if _, body := e.get(c, "/diarium"); !strings.Contains(body, e.gata) || !strings.Contains(body, e.secret) {
		t.Errorf("the diary lacks %s or %s", e.gata, e.secret)
	}
	if code, _ := e.get(c, "/arenden"); code != http.StatusSeeOther {
		t.Errorf("GET /arenden without login → %d, want 303", code)
	}
}

func itoa(n int64) string {
	return strings.TrimSpace(strings.Replace(time.Duration(n).String(), "ns", "", 1))
}

// TestPreserveFromTheWeb: the registrator marks a case to be preserved
// (bevaras) with a reason; the preservation is recorded with her name in
// the case's event log, and an enhet user of another unit cannot.
func TestPreserveFromTheWeb(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r, csrf := e.login("rut")
	if code, _, _ := e.post(r, "/arenden/"+e.gata+"/bevara", url.Values{"csrf": {csrf}}); code != http.StatusUnprocessableEntity {
		t.Errorf("preserve without a reason → %d, want 422", code)
	}
	code, _, loc := e.post(r, "/arenden/"+e.gata+"/bevara", url.Values{"csrf": {csrf}, "skal": {"Principiellt viktigt klagomål"}})
	if code != http.StatusSeeOther {
		t.Fatalf("preserve → %d, want 303", code)
	}
	if _, page := e.get(r, loc); !strings.Contains(page, "ska bevaras") {
		t.Errorf("the case page after preserving lacks the confirmation")
	}
	c, _ := e.d.Store.CaseByNumber(ctx, e.gata)
	var preserved bool
	if err := e.d.Store.DB().QueryRow("SELECT EXISTS(SELECT 1 FROM preservations WHERE case_id = ? AND actor = 'rut')", c.ID).Scan(&preserved); err != nil || !preserved {
		t.Errorf("no preservation by rut for %s (%v)", e.gata, err)
	}
	evs, _ := e.d.Store.Events(ctx, c.ID)
	found := false
	for _, ev := range evs {
		found = found || (ev.Kind == "preserved" && ev.Actor == "rut" && strings.Contains(ev.Detail, "Principiellt"))
	}
	if !found {
		t.Errorf("no preserved event by rut with the reason in %+v", evs)
	}
	erik, ecsrf := e.login("erik")
	if code, _, _ := e.post(erik, "/arenden/"+e.va+"/bevara", url.Values{"csrf": {ecsrf}, "skal": {"x"}}); code != http.StatusForbidden {
		t.Errorf("erik preserving another unit's case → %d, want 403", code)
	}
}

// The case sheet calls a case late from the moment its deadline is
// reached, as the search's "Bara försenade" does, and not a millisecond
// before.
func TestCaseSheetOverdueAtTheDeadline(t *testing.T) {
	e := newEnv(t)
	c, err := e.d.Store.CaseByNumber(t.Context(), e.va)
	if err != nil {
		t.Fatal(err)
	}
	due := c.FirstResponseDue
	if due.IsZero() {
		t.Fatalf("case %s has no first-response deadline", e.va)
	}
	for _, step := range []struct {
		at   time.Time
		late bool
	}{{due.Add(-time.Millisecond), false}, {due, true}} {
		e.clock.Advance(step.at.Sub(e.clock.Now()))
		cl, _ := e.login("klara") // a session lasts hours, the wait days
		_, sheet := e.get(cl, "/arenden/"+e.va)
		_, list := e.get(cl, "/arenden?forsenade=1")
		if got := strings.Contains(sheet, "försenat"); got != step.late {
			t.Errorf("at %v (deadline %v): case sheet says late = %v, want %v", step.at, due, got, step.late)
		}
		if got := strings.Contains(list, e.va); got != step.late {
			t.Errorf("at %v (deadline %v): \"Bara försenade\" lists the case = %v, want %v", step.at, due, got, step.late)
		}
	}
}
