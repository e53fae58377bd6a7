// Command genmodel trains the classifier's learned component from the
// labelled corpus and writes classify/model.txt. Run it with
// `go generate ./classify/`; it reads only the tune split.
package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Parse(sample.Municipality)
	if err != nil {
		return err
	}
	all, err := classify.LoadCorpus("testdata/corpus")
	if err != nil {
		return err
	}
	var exs []classify.Example
	for _, ex := range all {
		if slices.Contains(classify.TrainSplits, ex.Split) {
			exs = append(exs, ex)
		}
	}
	text, err := classify.TrainModels(cfg, exs)
	if err != nil {
		return err
	}
	if err := os.WriteFile("model.txt", []byte(text), 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	fmt.Printf("genmodel: %d examples, %d bytes\n", len(exs), len(text))
	return nil
}
