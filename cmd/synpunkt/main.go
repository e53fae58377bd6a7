// Command synpunkt runs a municipality's feedback mailbox: see README.md.
package main

import (
	"context"
	"os"

	"github.com/exempelby/synpunkt/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
