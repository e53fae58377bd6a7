package classify

import (
	"testing"
	"time"
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
