package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/exempelby/synpunkt/casework/archive"
	"github.com/exempelby/synpunkt/casework/retention"
	"github.com/exempelby/synpunkt/config"
	"github.com/exempelby/synpunkt/internal/report"
	"github.com/exempelby/synpunkt/store"
)

// withRetention opens the database of the config at path (no secrets
// needed) and hands a Purger on the command line's clock to f.
func withRetention(ctx context.Context, path string, stderr io.Writer, f func(*retention.Purger, *store.Store, *config.Config) error) error {
	cfg, err := loadConfigReadOnly(path)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	return f(retention.New(st, cfg.Retention, clock(ctx), newLogger(cfg.Log, stderr)), st, cfg)
}

func cmdPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	path, dry, asJSON, when, err := dueCommand(ctx, "purge", "purge what is due at this time (RFC 3339 or 2006-01-02T15:04 local); default now", args, stderr)
	if err != nil {
		return err
	}
	return withRetention(ctx, path, stderr, func(p *retention.Purger, _ *store.Store, _ *config.Config) error {
		rep, err := p.Run(ctx, when, dry)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(stdout, rep)
		}
		verb := "gallrat"
		if dry {
			verb = "att gallra"
		}
		for _, pc := range rep.Preserved {
			fmt.Fprintf(stdout, "%s bevaras (regel %s)\n", report.Text(pc.Case), pc.Rule)
		}
		for _, pc := range rep.Purged {
			fmt.Fprintf(stdout, "%s %s: %s (regel %s)\n", report.Text(pc.Case), verb, strings.Join(pc.Parts, ", "), strings.Join(pc.Rules, ", "))
		}
		fmt.Fprintf(stdout, "%d ärenden %s, %d bevarade lämnade orörda\n", len(rep.Purged), verb, rep.Kept)
		return nil
	})
}

func cmdPreserve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("preserve", stderr)
	reason := fs.String("reason", "", "why the case is preserved (required), e.g. \"tillför sakuppgifter\"")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"preserve needs one case NUMBER"}
	}
	if strings.TrimSpace(*reason) == "" {
		return usageError{"preserve needs --reason"}
	}
	return withRetention(ctx, *path, stderr, func(p *retention.Purger, _ *store.Store, _ *config.Config) error {
		c, err := p.Preserve(ctx, fs.Arg(0), "cli", *reason)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s bevaras\n", report.Text(c.Number))
		return nil
	})
}

// subjectFlags adds --email, --phone and --personnummer to fs.
func subjectFlags(fs *flag.FlagSet) *retention.Subject {
	var s retention.Subject
	fs.StringVar(&s.Email, "email", "", "the person's e-mail address")
	fs.StringVar(&s.Phone, "phone", "", "the person's phone number")
	fs.StringVar(&s.Personnummer, "personnummer", "", "the person's personnummer")
	return &s
}

// subjectCommand reads the flags of a command about one person
// (subject-access, erase): --config, the subject flags and --json
// (described by jsonUsage); at least one subject flag is required.
func subjectCommand(name, jsonUsage string, args []string, stderr io.Writer) (path string, subj retention.Subject, asJSON bool, err error) {
	fs, cfg := flags(name, stderr)
	s := subjectFlags(fs)
	js := fs.Bool("json", false, jsonUsage)
	if err := parse(fs, args); err != nil {
		return "", retention.Subject{}, false, err
	}
	if s.Email == "" && s.Phone == "" && s.Personnummer == "" {
		return "", retention.Subject{}, false, usageError{name + " needs --email, --phone or --personnummer"}
	}
	return *cfg, *s, *js, nil
}

// writeJSON writes v to w as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdSubjectAccess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	path, subj, asJSON, err := subjectCommand("subject-access", "print JSON instead of the Swedish letter", args, stderr)
	if err != nil {
		return err
	}
	return withRetention(ctx, path, stderr, func(_ *retention.Purger, st *store.Store, cfg *config.Config) error {
		cases, err := retention.Access(ctx, st, subj)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(stdout, struct {
				Subject retention.Subject      `json:"subject"`
				Cases   []retention.AccessCase `json:"cases"`
			}{subj, cases})
		}
		// Escaped line by line: the letter's own line breaks stay.
		for _, l := range strings.Split(strings.TrimSuffix(retention.AccessText(cfg.Organisation.Name, subj, cases, clock(ctx)()), "\n"), "\n") {
			fmt.Fprintln(stdout, report.Text(l))
		}
		return nil
	})
}

func cmdErase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	path, subj, asJSON, err := subjectCommand("erase", "print JSON", args, stderr)
	if err != nil {
		return err
	}
	return withRetention(ctx, path, stderr, func(p *retention.Purger, _ *store.Store, _ *config.Config) error {
		out, err := p.Erase(ctx, subj, "cli")
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(stdout, out)
		}
		if len(out) == 0 {
			fmt.Fprintln(stdout, "inga uppgifter om personen")
		}
		for _, o := range out {
			fmt.Fprintf(stdout, "%s: %s\n", report.Text(o.Case), o.Reason)
		}
		return nil
	})
}

func cmdArchiveExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, path := flags("archive-export", stderr)
	before := fs.String("closed-before", "", "deliver preserved cases closed before this day or time (required)")
	out := fs.String("out", "", "directory to write the package in (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *before == "" || *out == "" {
		return usageError{"archive-export needs --closed-before DATE and --out DIR"}
	}
	cutoff, err := parseTime(*before)
	if err != nil {
		return usageError{"--closed-before: " + err.Error()}
	}
	return withRetention(ctx, *path, stderr, func(_ *retention.Purger, st *store.Store, cfg *config.Config) error {
		res, err := archive.Export(ctx, st, cutoff, *out, archive.Options{Organisation: cfg.Organisation.Name, Now: clock(ctx)})
		if err != nil {
			return err
		}
		if res.Package == "" {
			fmt.Fprintln(stdout, "inga bevarade, avslutade ärenden att leverera")
			return nil
		}
		fmt.Fprintf(stdout, "%s: %d ärenden, %d filer\n", report.Text(res.Package), len(res.Cases), len(res.Files))
		return nil
	})
}
