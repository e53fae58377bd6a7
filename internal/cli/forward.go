package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/exempelby/synpunkt/internal/daemon"
)

// cmdForward forwards cases registered without being forwarded (a
// historical backlog) to their handlers and starts their deadline clocks.
// Every NUMBER is tried; the command fails if any of them failed.
func cmdForward(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("forward", stderr)
	at := fs.String("at", "", "count the deadlines from this time (RFC 3339 or 2006-01-02T15:04 local); default now")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"forward needs at least one case NUMBER"}
	}
	var from time.Time
	if *at != "" {
		t, err := parseTime(*at)
		if err != nil {
			return usageError{"--at: " + err.Error()}
		}
		from = t
	}
	return withDaemon(ctx, *path, stderr, func(d *daemon.Daemon) error {
		var errs []error
		for _, number := range fs.Args() {
			c, err := d.Casework.Forward(ctx, number, from, "cli")
			if err != nil {
				errs = append(errs, err)
				continue
			}
			fmt.Fprintf(stdout, "%s skickat till %s; första besked senast %s, svar senast %s\n", c.Number, c.Handler,
				c.FirstResponseDue.In(stockholm).Format("2006-01-02 15:04"), c.FinalDue.In(stockholm).Format("2006-01-02 15:04"))
		}
		return errors.Join(errs...)
	})
}
