package cli

import (
	"context"
	"time"

	"github.com/exempelby/synpunkt/internal/daemon"
)

// clockKey carries the commands' clock in the context given to Run.
type clockKey struct{}

// WithNow returns a context under which every command run by Run reads the
// time from now: the daemon and all its components (pipeline, casework,
// store, outbox, composer) and the defaults of --at, --from and --to.
// Without it commands use time.Now. Tests set it so that no result depends
// on today's date.
func WithNow(ctx context.Context, now func() time.Time) context.Context {
	return context.WithValue(ctx, clockKey{}, now)
}

// clock returns the clock set by WithNow, or time.Now.
func clock(ctx context.Context) func() time.Time {
	if now, ok := ctx.Value(clockKey{}).(func() time.Time); ok && now != nil {
		return now
	}
	return time.Now
}

// daemonOptions are the daemon.Options every command wires with: the one
// clock of the command line.
func daemonOptions(ctx context.Context) daemon.Options {
	return daemon.Options{Now: clock(ctx)}
}

// readOnlyOptions are daemonOptions for a command that only reads the
// database, from a config loaded without secrets.
func readOnlyOptions(ctx context.Context) daemon.Options {
	o := daemonOptions(ctx)
	o.ReadOnly = true
	return o
}
