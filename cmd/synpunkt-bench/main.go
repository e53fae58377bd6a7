// Command synpunkt-bench measures synpunkt against a real Dovecot and an
// SMTP sink on loopback: raw FETCH vs backlog intake, APPEND→receipt
// latency, RSS and disk per case. See internal/bench and README.md.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/exempelby/synpunkt/internal/bench"
)

func main() {
	if err := bench.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "synpunkt-bench:", err)
		os.Exit(1)
	}
}
