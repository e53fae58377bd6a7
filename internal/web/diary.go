package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/store"
)

// DiaryEntry is one case in the public diary: metadata only. The
// description is the PII-free one, and empty for a sensitive case.
type DiaryEntry struct {
	Number      string    `json:"diarienummer"`
	Received    time.Time `json:"inkom"`
	Category    string    `json:"handlingstyp"`
	Committee   string    `json:"namnd"`
	Unit        string    `json:"enhet"`
	Status      string    `json:"status"`
	Description string    `json:"beskrivning"`
}

// sensitiveDescription stands in for a sensitive case's description.
const sensitiveDescription = "Uppgiften lämnas inte ut i webbdiariet."

func diaryEntries(cases []synpunkt.Case) []DiaryEntry {
	out := make([]DiaryEntry, 0, len(cases))
	for _, c := range cases {
		e := DiaryEntry{Number: c.Number, Received: c.ReceivedAt.UTC(), Category: string(c.Category), Committee: c.Committee, Unit: c.Unit,
			Status: string(c.Status), Description: c.Description}
		if c.Sensitive {
			e.Description = sensitiveDescription
		}
		out = append(out, e)
	}
	return out
}

// diaryCases returns the entries the request asks for, how many match
// and whether more than that match (the count stopped at countLimit).
func (s *Server) diaryCases(r *http.Request) ([]DiaryEntry, int, bool, error) {
	q := r.URL.Query()
	cases, total, err := s.st.SearchCases(r.Context(), store.CaseQuery{Text: q.Get("q"), Public: true, Category: q.Get("kategori"), Limit: 100, CountLimit: countLimit})
	more := total > countLimit
	if more {
		total = countLimit
	}
	return diaryEntries(cases), total, more, err
}

type diaryData struct {
	Query   string
	Entries []DiaryEntry
	Total   int
	More    bool
}

// diary is the public web diary: no login.
func (s *Server) diary(w http.ResponseWriter, r *http.Request) {
	entries, total, more, err := s.diaryCases(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "diary", page{Title: "Webbdiarium", Public: true, Data: diaryData{Query: r.URL.Query().Get("q"), Entries: entries, Total: total, More: more}})
}

// diaryJSON is the diary as JSON for the municipality's website. When a
// search matches more than 1000 cases, "antal" is 1000 and "fler" true.
func (s *Server) diaryJSON(w http.ResponseWriter, r *http.Request) {
	entries, total, more, err := s.diaryCases(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	json.NewEncoder(w).Encode(struct { //nolint:errcheck // the client went away
		Total   int          `json:"antal"`
		More    bool         `json:"fler,omitempty"`
		Entries []DiaryEntry `json:"arenden"`
	}{total, more, entries})
}
