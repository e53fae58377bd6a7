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
	if err := parse(fs, args); err != nil {
		return err
	}
	opt := demo.Options{DBPath: *db, Timeout: *timeout}
	if *verbose {
		opt.Log = stderr
	}
	return demo.Run(ctx, stdout, opt)
}
