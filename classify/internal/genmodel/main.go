// Command genmodel trains the classifier's learned component from the
// labelled corpora and writes classify/model.txt. Run it with
// `go generate ./classify/`; it reads only the training sources
// (classify.TrainingSources), never a held-out or blind split.
package main

import (
	"fmt"
	"os"

	"github.com/exempelby/synpunkt/classify"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}

func run() error {
	sets, err := classify.LoadTrainingSets(".")
	if err != nil {
		return err
	}
	text, err := classify.TrainModels(sets)
	if err != nil {
		return err
	}
	if err := os.WriteFile("model.txt", []byte(text), 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	n := 0
	for _, s := range sets {
		n += len(s.Examples)
	}
	fmt.Printf("genmodel: %d examples, %d bytes\n", n, len(text))
	return nil
}
