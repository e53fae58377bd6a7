package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exempelby/synpunkt/mailbox/mimeparse"
	"github.com/exempelby/synpunkt/store"
)

// The browser tests drive Debian's chromium package through chromedp
// against the real web view over TLS (the test server's own certificate,
// accepted with --ignore-certificate-errors), a real daemon, SQLite and
// the SMTP sink. Without a Chromium they skip with a message, unless
// SYNPUNKT_REQUIRE_BROWSER=1, when they fail.
const (
	requireBrowserEnv = "SYNPUNKT_REQUIRE_BROWSER"
	// chromiumEnv names the browser binary when it is not on PATH.
	chromiumEnv = "SYNPUNKT_CHROMIUM"
	// screenshotsEnv is the folder the tests write their screenshots to;
	// unset: a temporary folder of the test.
	screenshotsEnv = "SYNPUNKT_SCREENSHOTS"
	// axePath is axe-core as npm installs it from testdata/axe/package.json.
	axePath = "testdata/axe/node_modules/axe-core/axe.min.js"
)

func chromiumPath() string {
	if p := os.Getenv(chromiumEnv); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// missing skips the test with a visible message, or fails it when
// SYNPUNKT_REQUIRE_BROWSER=1.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(requireBrowserEnv) == "1" {
		t.Fatalf("%s, and %s=1", msg, requireBrowserEnv)
	}
	fmt.Fprintf(os.Stderr, "SKIP %s: %s (set %s=1 to make this a failure)\n", t.Name(), msg, requireBrowserEnv)
	t.Skipf("%s (set %s=1 to make this a failure)", msg, requireBrowserEnv)
}

// browser is one headless Chromium tab on the test's web view.
type browser struct {
	t   *testing.T
	e   *env
	ctx context.Context
	// shots is the screenshot folder.
	shots string
}

// newBrowser starts a headless Chromium with a fresh profile (no cookies)
// and returns a tab on e's server.
func (e *env) newBrowser() *browser {
	t := e.t
	t.Helper()
	path := chromiumPath()
	if path == "" {
		missing(t, "no Chromium found (chromium, chromium-browser or google-chrome on PATH, or %s)", chromiumEnv)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.WindowSize(1100, 800),
		chromedp.Flag("ignore-certificate-errors", true), chromedp.Flag("lang", "sv-SE"), chromedp.Env("LANGUAGE=sv", "LANG=sv_SE.UTF-8"),
		chromedp.Flag("disable-gpu", true))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run its sandbox as root
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	// The first run starts the browser; it must not carry the timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	shots := os.Getenv(screenshotsEnv)
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, e: e, ctx: ctx, shots: shots}
}

// open navigates to path and returns the HTTP status of the page.
func (b *browser) open(path string) int {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.e.srv.URL+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return int(resp.Status)
}

// click clicks sel, waits for the page it leads to and returns its status.
func (b *browser) click(sel string) int {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return int(resp.Status)
}

// fill types text into the (empty) field sel.
func (b *browser) fill(sel, text string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.t.Fatalf("fill %s: %v", sel, err)
	}
}

// text is the visible text of sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(s, b.e.srv.URL)
}

// login logs in through the login form and returns the status of the page
// it lands on.
func (b *browser) login(name string) int {
	b.t.Helper()
	b.open("/login")
	b.fill("#anvandare", name)
	b.fill("#losenord", testPassword)
	return b.click("form.login button[type=submit]")
}

// screenshot writes the whole page as name.png to the screenshot folder.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowserCaseWork walks a clerk's work in Chromium: log in, search for
// the citizen's street, open the case, read the original (and see the
// read in the case's access log and event log), close the case with the
// note previewed, and find the citizen's notice, as previewed, in the
// SMTP sink.
func TestBrowserCaseWork(t *testing.T) {
	e := newEnv(t)
	b := e.newBrowser()
	ctx := context.Background()
	// The receipt to the citizen is sent at registration; the closing
	// notice is what comes after it.
	receipts, err := e.sink.Wait(b.ctx, 2)
	if err != nil {
		t.Fatalf("receipts: %v", err)
	}

	if code := b.login("klara"); code != http.StatusOK || b.location() != "/arenden" {
		t.Fatalf("login → %d at %s, want 200 at /arenden", code, b.location())
	}
	b.fill("#q", "Solrosvägen")
	if code := b.click("form.filters button[type=submit]"); code != http.StatusOK {
		t.Fatalf("search → %d", code)
	}
	if got := b.text("main table tbody"); !strings.Contains(got, e.gata) || strings.Contains(got, e.va) {
		t.Errorf("search for the street lists %q; want %s and not %s", got, e.gata, e.va)
	}
	b.screenshot("flode-sokresultat")

	if code := b.click(`a[href="/arenden/` + e.gata + `"]`); code != http.StatusOK {
		t.Fatalf("open %s → %d", e.gata, code)
	}
	if h := b.text("h1"); h != "Ärende "+e.gata {
		t.Errorf("case page heading = %q", h)
	}
	if main := b.text("main"); strings.Contains(main, "Solrosvägen 14") || strings.Contains(main, "Lindqvist") {
		t.Error("the case page shows the original before the click")
	}
	b.screenshot("flode-arende")

	if code := b.click(`form[action^="/arenden/` + e.gata + `/original/"] button`); code != http.StatusOK {
		t.Fatalf("read original → %d", code)
	}
	if got := b.text(".original"); !strings.Contains(got, "Solrosvägen 14") {
		t.Errorf("original shown = %q, want the citizen's text", got)
	}
	log := b.text(`h2#atkomstlogg + table`)
	if !strings.Contains(log, "klara") || !strings.Contains(log, "read_original") {
		t.Errorf("the access log on the page lacks klara's read: %q", log)
	}
	events := b.text(`h2#handelser + table`)
	if !strings.Contains(events, "original_read") {
		t.Errorf("the event log on the page lacks original_read: %q", events)
	}
	b.screenshot("flode-original")

	note := "Lampan är lagad av entreprenören i dag."
	b.fill("#stang-anteckning", note)
	if code := b.click(`form[action$="/stang"] button`); code != http.StatusOK {
		t.Fatalf("preview close → %d", code)
	}
	preview := b.text("#forhandsvisning + p + .original")
	if !strings.Contains(preview, note) {
		t.Errorf("preview = %q, want the note", preview)
	}
	b.screenshot("flode-avslut")
	if code := b.click(`section.preview form button`); code != http.StatusOK {
		t.Fatalf("close → %d", code)
	}
	if got := b.text(".flash"); got != "Ärendet är avslutat." {
		t.Errorf("flash after close = %q", got)
	}
	c, _ := e.d.Store.CaseByNumber(ctx, e.gata)
	if c.Status != "avslutat" {
		t.Errorf("status of %s = %q, want avslutat", e.gata, c.Status)
	}

	msgs, err := e.sink.Wait(b.ctx, len(receipts)+1)
	if err != nil {
		t.Fatalf("closing notice: %v", err)
	}
	last := msgs[len(msgs)-1]
	m, err := mimeparse.Parse(last.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(last.To) != 1 || last.To[0] != "astrid.lindqvist@example.org" || !strings.Contains(m.Text, note) {
		t.Errorf("last mail to %v with text %q; want the closing notice with the note to astrid.lindqvist@example.org", last.To, m.Text)
	}
	if strings.TrimSpace(m.Text) != strings.TrimSpace(preview) {
		t.Errorf("the notice sent differs from the preview:\nsent:    %q\npreview: %q", m.Text, preview)
	}
}

// TestBrowserEnhetDenied: erik (enhet, Gatu- och parkenheten) types the
// address of a VA case: 403, the refusal page, and the refusal is in the
// access log.
func TestBrowserEnhetDenied(t *testing.T) {
	e := newEnv(t)
	b := e.newBrowser()
	if code := b.login("erik"); code != http.StatusOK {
		t.Fatalf("login erik → %d", code)
	}
	if code := b.open("/arenden/" + e.va); code != http.StatusForbidden {
		t.Errorf("erik opens %s by URL → %d, want 403", e.va, code)
	}
	if h := b.text("h1"); h != "Åtkomst nekad" {
		t.Errorf("heading = %q, want Åtkomst nekad", h)
	}
	if strings.Contains(b.text("body"), "Vattnet") {
		t.Error("the refusal shows the case")
	}
	va, err := e.d.Store.CaseByNumber(context.Background(), e.va)
	if err != nil {
		t.Fatal(err)
	}
	log, err := e.d.Store.AccessLog(context.Background(), va.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAccess(log, "erik", "view_case", "denied") {
		t.Errorf("access log of %s = %+v, want erik view_case denied", e.va, log)
	}
	if code := b.open("/arenden/" + e.gata); code != http.StatusOK {
		t.Errorf("erik opens his unit's %s → %d, want 200", e.gata, code)
	}
}

func hasAccess(log []store.Access, actor, action, outcome string) bool {
	for _, a := range log {
		if a.Actor == actor && a.Action == action && a.Outcome == outcome {
			return true
		}
	}
	return false
}

// axeResult is what the page's axe run hands back.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			HTML    string `json:"html"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes     int `json:"passes"`
	Incomplete int `json:"incomplete"`
}

// axeTags are the rules run: WCAG 2.0 and 2.1, levels A and AA.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => ({
	violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => ({html: n.html, failureSummary: n.failureSummary}))})),
	passes: r.passes.length, incomplete: r.incomplete.length}))`

// runAxe injects axe-core into the page shown and runs it.
func (b *browser) runAxe(src, page string) axeResult {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
		b.t.Fatalf("%s: inject axe-core: %v", page, err)
	}
	res, err := chromedp.Run(b.ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: axe.run: %v", page, err)
	}
	return res
}

// axe runs axe-core on the page shown; every violation is an error naming
// the page. It returns a line for the summary.
func (b *browser) axe(src, page string) string {
	b.t.Helper()
	res := b.runAxe(src, page)
	for _, v := range res.Violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, n.HTML+" – "+strings.ReplaceAll(n.Summary, "\n", " "))
		}
		b.t.Errorf("%s (%s): axe %s (%s): %s\n\t%s", page, b.location(), v.ID, v.Impact, v.Help, strings.Join(nodes, "\n\t"))
	}
	return fmt.Sprintf("%-20s %d violations, %d rules passed, %d to review by hand", page, len(res.Violations), res.Passes, res.Incomplete)
}

// TestBrowserAccessibility runs axe-core (WCAG 2.1 A and AA rules) in
// Chromium on every page of the web view, as each role sees it, and
// wants zero violations; it writes a screenshot of each page.
func TestBrowserAccessibility(t *testing.T) {
	src, err := os.ReadFile(axePath)
	if err != nil {
		missing(t, "axe-core not installed (%v); run npm ci in internal/web/testdata/axe", err)
	}
	e := newEnv(t)
	b := e.newBrowser()
	axe := string(src)
	var summary []string
	check := func(page, shot string, wantStatus, status int) {
		t.Helper()
		if status != wantStatus {
			t.Errorf("%s → %d, want %d", page, status, wantStatus)
		}
		summary = append(summary, b.axe(axe, page))
		b.screenshot(shot)
	}

	check("diary", "diarium", http.StatusOK, b.open("/diarium"))
	b.fill("#q", "gatlampa")
	check("diary search", "diarium-sok", http.StatusOK, b.click("main form button[type=submit]"))
	check("login", "inloggning", http.StatusOK, b.open("/login"))
	// The harness itself: a field without a label must be caught.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("main").insertAdjacentHTML("beforeend", "<input id=utan-etikett>"), true`)); err != nil {
		t.Fatal(err)
	}
	if res := b.runAxe(axe, "login with a planted fault"); len(res.Violations) == 0 || res.Violations[0].ID != "label" {
		t.Errorf("axe on a page with an unlabelled field = %+v, want the violation label", res.Violations)
	}
	b.fill("#anvandare", "klara")
	b.fill("#losenord", "fel lösenord, fel lösenord")
	check("login (failed)", "inloggning-fel", http.StatusUnauthorized, b.click("form.login button[type=submit]"))
	b.fill("#anvandare", "klara")
	b.fill("#losenord", testPassword)
	check("case list", "arenden", http.StatusOK, b.click("form.login button[type=submit]"))
	b.fill("#q", "gatlampa")
	check("search results", "sokresultat", http.StatusOK, b.click("form.filters button[type=submit]"))
	check("search, no hits", "sokresultat-tomt", http.StatusOK, b.open("/arenden?q=finnsinteallsnagonstans"))
	check("case page", "arende", http.StatusOK, b.open("/arenden/"+e.gata))
	check("original view", "original", http.StatusOK, b.click(`form[action^="/arenden/`+e.gata+`/original/"] button`))
	check("close preview", "avslut-forhandsvisning", http.StatusOK, b.click(`form[action$="/stang"] button`))
	check("case page, closed", "arende-avslutat", http.StatusOK, b.click(`section.preview form button`))
	check("register form", "registrera", http.StatusOK, b.open("/registrera"))
	check("not found", "finns-inte", http.StatusNotFound, b.open("/arenden/KS-1999-999999"))
	b.click("header form button[type=submit]") // log out
	b.login("ada")
	check("users", "anvandare", http.StatusOK, b.open("/anvandare"))
	check("denied", "nekad", http.StatusForbidden, b.open("/arenden/"+e.gata))
	t.Logf("axe-core on each page (screenshots in %s):\n%s", b.shots, strings.Join(summary, "\n"))
}
