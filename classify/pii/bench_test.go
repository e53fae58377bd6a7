package pii

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkRedact measures throughput over realistic whole messages: every
// message body of the corpus, redacted one at a time with the sender's name
// as a known name, as the pipeline does.
func BenchmarkRedact(b *testing.B) {
	r := New()
	var bodies []string
	var names []string
	total := 0
	files, _ := filepath.Glob("testdata/corpus/*/*.txt")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		samples, err := ParseCorpusFile(f, string(data))
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range samples {
			bodies = append(bodies, s.Body.Text)
			names = append(names, s.From.Name)
			total += len(s.Body.Text)
		}
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for k, body := range bodies {
			r.Redact(body, Options{KnownNames: []string{names[k]}})
		}
	}
}

// BenchmarkRedactLong measures one long forwarded thread (about 64 KiB).
func BenchmarkRedactLong(b *testing.B) {
	r := New()
	data, err := os.ReadFile("testdata/corpus/heldout/h3_formular_trad.txt")
	if err != nil {
		b.Fatal(err)
	}
	samples, _ := ParseCorpusFile("h3", string(data))
	var sb strings.Builder
	for sb.Len() < 64<<10 {
		for _, s := range samples {
			sb.WriteString(s.Body.Text)
		}
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		r.Redact(text, Options{KnownNames: []string{"Anna Larsson"}})
	}
}
