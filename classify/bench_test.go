package classify

import (
	"strings"
	"testing"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
)

// BenchmarkClassify measures Classify over every corpus message, one at a
// time, as the intake pipeline calls it. Bytes are subject plus text.
func BenchmarkClassify(b *testing.B) {
	c := mustSample(b)
	exs := mustCorpus(b, "testdata/corpus")
	total := 0
	for _, ex := range exs {
		total += len(ex.Msg.Subject) + len(ex.Msg.Text)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		for _, ex := range exs {
			c.Classify(ex.Msg, ex.Msg.To, c.isOwn(ex.Msg.From.Addr))
		}
	}
	perMsg := time.Since(start) / time.Duration(b.N*len(exs))
	b.ReportMetric(float64(perMsg.Nanoseconds())/1e3, "µs/msg")
}

// longTextBytes is the size of each long message of BenchmarkClassifyLong,
// about what an HTML newsletter gives as text.
const longTextBytes = 20 << 10

// longMessages joins the texts of exs, in order, into messages of at
// least longTextBytes each; every message keeps the sender, recipients and
// subject of the first example it holds. A remainder shorter than
// longTextBytes is dropped.
func longMessages(exs []Example) []*synpunkt.Message {
	var out []*synpunkt.Message
	var cur *synpunkt.Message
	var text strings.Builder
	for _, ex := range exs {
		if cur == nil {
			cur = &synpunkt.Message{From: ex.Msg.From, To: ex.Msg.To, Subject: ex.Msg.Subject}
		}
		text.WriteString(ex.Msg.Subject)
		text.WriteString("\n\n")
		text.WriteString(ex.Msg.Text)
		text.WriteString("\n\n")
		if text.Len() >= longTextBytes {
			cur.Text = text.String()
			out = append(out, cur)
			cur = nil
			text.Reset()
		}
	}
	return out
}

// BenchmarkClassifyLong measures Classify on long texts: the corpus
// messages joined into messages of about 20 KB each (longMessages), where
// matching cost grows with the number of words.
func BenchmarkClassifyLong(b *testing.B) {
	c := mustSample(b)
	msgs := longMessages(mustCorpus(b, "testdata/corpus"))
	if len(msgs) == 0 {
		b.Fatal("no long message: the corpus is smaller than longTextBytes")
	}
	total := 0
	for _, m := range msgs {
		total += len(m.Subject) + len(m.Text)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		for _, m := range msgs {
			c.Classify(m, m.To, c.isOwn(m.From.Addr))
		}
	}
	perMsg := time.Since(start) / time.Duration(b.N*len(msgs))
	b.ReportMetric(float64(perMsg.Nanoseconds())/1e3, "µs/msg")
}
