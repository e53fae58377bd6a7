package lifecycle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	synpunkt "github.com/exempelby/synpunkt"
	"github.com/exempelby/synpunkt/config"
)

// NextDue returns when the earliest action of c not yet taken falls due
// (it may be before now when one is due already), or the zero time when
// none is left: the case is closed, its chains are done, or the remaining
// steps have no recipient. A step without recipient gets one only with a
// new configuration, which changes Fingerprint.
func (p *Policy) NextDue(c CaseState) time.Time {
	if c.Status != synpunkt.StatusOpen {
		return time.Time{}
	}
	var next time.Time
	for _, a := range p.schedule(c) {
		if a.To == "" || c.Done[a.Key] {
			continue
		}
		if next.IsZero() || a.DueAt.Before(next) {
			next = a.DueAt
		}
	}
	return next
}

// Fingerprint identifies the configuration the schedule depends on
// ([deadlines] and the units): a schedule computed under another
// fingerprint must be computed again.
func (p *Policy) Fingerprint() string { return p.fingerprint }

func fingerprint(d config.Deadlines, units []synpunkt.Unit) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%#v\n%#v", d, units))
	return hex.EncodeToString(h[:8])
}
