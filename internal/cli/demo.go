package cli

import (
	"context"
	"io"
	"time"

	"github.com/exempelby/synpunkt/internal/demo"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := flags("demo", stderr)
	db := fs.String("db", "", "keep the demo database at this path (default: a temporary file)")
	verbose := fs.Bool("v", false, "show the daemon's logs")
	timeout := fs.Duration("timeout", 60*time.Second, "give up after this long")
	metrics := fs.Bool("metrics", false, "print the daemon's synpunkt_* metrics (as /metrics serves them) after the run, to stderr")
	if err := parse(fs, args); err != nil {
		return err
	}
	opt := demo.Options{DBPath: *db, Timeout: *timeout}
	if *verbose {
		opt.Log = stderr
	}
	if *metrics {
		opt.Metrics = stderr
	}
	return demo.Run(ctx, stdout, opt)
}
