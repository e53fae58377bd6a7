package twiliofake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func post(t *testing.T, s *Server, sid, token string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", s.URL()+"/2010-04-01/Accounts/"+sid+"/Messages.json", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(sid, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return resp.StatusCode, body
}

func TestCreateMessage(t *testing.T) {
	s := Start()
	defer s.Close()
	status, body := post(t, s, s.AccountSID(), s.AuthToken(), url.Values{"To": {"+46701234567"}, "From": {"+46765550100"}, "Body": {"Hej då"}})
	if status != http.StatusCreated || body["status"] != "queued" || !strings.HasPrefix(body["sid"].(string), "SM") || body["num_segments"] != "1" {
		t.Errorf("create = %d %v, want 201 queued SM… 1 segment", status, body)
	}
	if msgs := s.Messages(); len(msgs) != 1 || msgs[0].Body != "Hej då" {
		t.Errorf("Messages = %+v", msgs)
	}
}

func TestCreateMessageErrors(t *testing.T) {
	s := Start()
	defer s.Close()
	ok := url.Values{"To": {"+46701234567"}, "From": {"+46765550100"}, "Body": {"x"}}
	tests := []struct {
		name        string
		sid, token  string
		form        url.Values
		wantStatus  int
		wantCode    float64
		failNext    bool
		failStatus  int
		failCodeArg int
	}{
		{name: "wrong token", sid: s.AccountSID(), token: "x", form: ok, wantStatus: 401, wantCode: 20003},
		{name: "bad number", sid: s.AccountSID(), token: s.AuthToken(), form: url.Values{"To": {"0701"}, "From": {"+4676"}, "Body": {"x"}}, wantStatus: 400, wantCode: 21211},
		{name: "no body", sid: s.AccountSID(), token: s.AuthToken(), form: url.Values{"To": {"+46701234567"}, "From": {"+46765550100"}}, wantStatus: 400, wantCode: 21602},
		{name: "injected", sid: s.AccountSID(), token: s.AuthToken(), form: ok, wantStatus: 429, wantCode: 20429, failNext: true, failStatus: 429, failCodeArg: 20429},
	}
	for _, tt := range tests {
		if tt.failNext {
			s.FailNext(tt.failStatus, tt.failCodeArg)
		}
		status, body := post(t, s, tt.sid, tt.token, tt.form)
		if status != tt.wantStatus || body["code"] != tt.wantCode || body["status"] != float64(tt.wantStatus) {
			t.Errorf("%s: = %d %v, want %d code %v", tt.name, status, body, tt.wantStatus, tt.wantCode)
		}
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("Messages has %d, want 0", n)
	}
}
