package mailbox

import (
	"math/rand/v2"
	"time"
)

// backoff computes exponential delays with jitter between min and max.
type backoff struct {
	min, max time.Duration
}

// delay returns the wait before attempt n (n ≥ 1): min·2^(n-1), capped at
// max, then jittered to between half and all of that, never below min.
func (b backoff) delay(n int) time.Duration {
	d := b.min
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	j := d/2 + rand.N(d/2+1)
	return max(j, b.min)
}
