// Package twiliofake owns a local HTTP server that speaks the part of
// Twilio's REST API that synpunkt uses: creating an SMS with
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json, and fetching the
// account (GET /2010-04-01/Accounts/{AccountSid}.json). Tests and
// `synpunkt demo` point the SMS sender at it instead of api.twilio.com.
//
// What always holds: requests are checked as Twilio checks them (HTTP basic
// auth with the account SID and auth token, the path's account SID matching,
// form-encoded To, From and Body, To in E.164), and answered with Twilio's
// JSON shapes: 201 with a message resource ("SM…" sid, status "queued") or
// an error object {"code","message","more_info","status"}. Every accepted
// message is kept, in order, for Messages. It listens on 127.0.0.1 only.
//
// How it fails: Start panics if it cannot listen, like httptest.NewServer.
// Failures to show to clients are injected with FailNext.
package twiliofake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Message is one accepted SMS.
type Message struct {
	SID        string // "SM…"
	AccountSID string
	To         string
	From       string
	Body       string
	Created    time.Time
}

type failure struct{ status, code int }

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	ts         *httptest.Server
	accountSID string // immutable
	authToken  string // immutable

	mu    sync.Mutex
	msgs  []Message
	fails []failure
}

// Start starts a fake with a random account SID and auth token.
func Start() *Server {
	return StartWithCredentials("AC"+randomHex(16), randomHex(16))
}

// StartWithCredentials starts a fake that accepts accountSID and authToken.
func StartWithCredentials(accountSID, authToken string) *Server {
	s := &Server{accountSID: accountSID, authToken: authToken}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{AccountSid}/Messages.json", s.createMessage)
	mux.HandleFunc("GET /2010-04-01/Accounts/{file}", s.fetchAccount)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
	})
	s.ts = httptest.NewServer(mux)
	return s
}

// URL returns the base URL, e.g. "http://127.0.0.1:41234", to use as the SMS
// sender's BaseURL.
func (s *Server) URL() string { return s.ts.URL }

// AccountSID returns the account SID the fake accepts.
func (s *Server) AccountSID() string { return s.accountSID }

// AuthToken returns the auth token the fake accepts.
func (s *Server) AuthToken() string { return s.authToken }

// Close shuts the server down and waits for outstanding requests.
func (s *Server) Close() { s.ts.Close() }

// Messages returns a copy of the accepted messages.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// FailNext makes the next create request fail with the HTTP status and
// Twilio error code given, e.g. (400, 21211), (429, 20429) or (500, 20500).
// Calls queue up.
func (s *Server) FailNext(status, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, failure{status, code})
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.accountSID || pass != s.authToken || r.PathValue("AccountSid") != s.accountSID {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if f, ok := s.nextFailure(); ok {
		writeError(w, f.status, f.code, failureMessage(f.code))
		return
	}
	to, from, body := r.PostFormValue("To"), r.PostFormValue("From"), r.PostFormValue("Body")
	if status, code, msg := validate(to, from, body); code != 0 {
		writeError(w, status, code, msg)
		return
	}
	m := s.record(to, from, body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(resource(m)) //nolint:errcheck // client gone
}

// fetchAccount answers GET /2010-04-01/Accounts/{AccountSid}.json, which
// `synpunkt check-config --connect` uses to test the credentials.
func (s *Server) fetchAccount(w http.ResponseWriter, r *http.Request) {
	sid, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	user, pass, auth := r.BasicAuth()
	if !ok || !auth || user != s.accountSID || pass != s.authToken || sid != s.accountSID {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{ //nolint:errcheck // client gone
		"sid": s.accountSID, "friendly_name": "twiliofake", "status": "active", "type": "Full",
		"uri": "/2010-04-01/Accounts/" + s.accountSID + ".json",
	})
}

func (s *Server) nextFailure() (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fails) == 0 {
		return failure{}, false
	}
	f := s.fails[0]
	s.fails = s.fails[1:]
	return f, true
}

// validate applies Twilio's checks on the parameters, returning the HTTP
// status, Twilio error code and message of the first one that fails.
func validate(to, from, body string) (int, int, string) {
	switch {
	case to == "":
		return 400, 21604, "A 'To' phone number is required."
	case !e164.MatchString(to):
		return 400, 21211, fmt.Sprintf("Invalid 'To' Phone Number: %s", to)
	case from == "":
		return 400, 21603, "A 'From' phone number is required."
	case body == "":
		return 400, 21602, "Message body is required."
	case utf8.RuneCountInString(body) > 1600:
		return 400, 21617, "The concatenated message body exceeds the 1600 character limit."
	}
	return 0, 0, ""
}

func (s *Server) record(to, from, body string) Message {
	m := Message{SID: "SM" + randomHex(16), AccountSID: s.accountSID, To: to, From: from, Body: body, Created: time.Now().UTC()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	return m
}

func failureMessage(code int) string {
	switch code {
	case 21211:
		return "Invalid 'To' Phone Number"
	case 20429:
		return "Too Many Requests"
	case 20003:
		return "Authenticate"
	}
	return "Injected failure"
}

// writeError writes Twilio's legacy error object.
func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{ //nolint:errcheck // client gone
		"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
	})
}

// resource is the JSON message resource Twilio answers a create with.
func resource(m Message) map[string]any {
	uri := fmt.Sprintf("/2010-04-01/Accounts/%s/Messages/%s", m.AccountSID, m.SID)
	date := m.Created.Format(time.RFC1123Z)
	return map[string]any{
		"account_sid": m.AccountSID, "api_version": "2010-04-01", "body": m.Body,
		"date_created": date, "date_updated": date, "date_sent": nil,
		"direction": "outbound-api", "error_code": nil, "error_message": nil,
		"from": m.From, "to": m.To, "messaging_service_sid": nil,
		"num_media": "0", "num_segments": fmt.Sprint(segments(m.Body)),
		"price": nil, "price_unit": "USD", "sid": m.SID, "status": "queued",
		"subresource_uris": map[string]string{"media": uri + "/Media.json"},
		"uri":              uri + ".json",
	}
}

// segments estimates the SMS segment count: GSM-7 when every character is
// in the GSM basic set (which has å, ä, ö, é), else UCS-2.
func segments(body string) int {
	single, multi := 160, 153
	for _, r := range body {
		if !strings.ContainsRune(gsmBasic, r) {
			single, multi = 70, 67
			break
		}
	}
	n := utf8.RuneCountInString(body)
	if n <= single {
		return 1
	}
	return (n + multi - 1) / multi
}

const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
