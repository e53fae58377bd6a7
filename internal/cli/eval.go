package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/exempelby/synpunkt/classify"
	"github.com/exempelby/synpunkt/classify/pii"
	"github.com/exempelby/synpunkt/classify/sample"
	"github.com/exempelby/synpunkt/config"
)

func cmdEvalPII(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, _ := flags("eval-pii", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"eval-pii needs one corpus DIR"}
	}
	rep, err := pii.Evaluate(pii.New(), fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep.String())
	return nil
}

func cmdEvalRouting(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("eval-routing", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"eval-routing needs one corpus DIR"}
	}
	var cfg *config.Config
	var err error
	if *path != "" {
		cfg, err = loadConfig(*path)
	} else {
		cfg, err = config.Parse(sample.Municipality)
	}
	if err != nil {
		return err
	}
	cl, err := classify.New(classify.OptionsFrom(cfg))
	if err != nil {
		return err
	}
	rep, err := classify.Evaluate(cl, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, rep.String())
	return nil
}
