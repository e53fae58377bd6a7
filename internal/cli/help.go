package cli

import (
	"flag"
	"fmt"
)

// commandHelp is what `synpunkt COMMAND --help` says besides the flags: the
// synopsis and what each positional argument is.
var commandHelp = map[string]struct{ synopsis, args string }{
	"run":          {"run --config FILE", "Runs the daemon until SIGINT/SIGTERM; SIGHUP re-reads log.level from the config.\n"},
	"demo":         {"demo [--db FILE] [-v]", ""},
	"import":       {"import --config FILE [--no-notify] [--json] PATH...", "  PATH  an .eml file, a Maildir folder or an mbox file; several may be given\n"},
	"cases":        {"cases --config FILE [--json] [--open] [--overdue]", ""},
	"case":         {"case --config FILE NUMBER", "  NUMBER  the case number, e.g. SYN-2026-00042\n"},
	"close":        {"close --config FILE [--note TEXT] NUMBER", "  NUMBER  the case number, e.g. SYN-2026-00042\n"},
	"reopen":       {"reopen --config FILE NUMBER", "  NUMBER  the case number, e.g. SYN-2026-00042\n"},
	"note":         {"note --config FILE NUMBER TEXT...", "  NUMBER  the case number, e.g. SYN-2026-00042\n  TEXT    the note; the remaining arguments are joined with spaces\n"},
	"route":        {"route --config FILE --unit NAME NUMBER", "  NUMBER  the case number, e.g. SYN-2026-00042\n"},
	"deadlines":    {"deadlines --config FILE [--at TIME] [--dry-run] [--json]", ""},
	"stats":        {"stats --config FILE [--from DAY] [--to DAY]", ""},
	"check-config": {"check-config --config FILE [--connect]", ""},
	"eval-pii":     {"eval-pii DIR", "  DIR  a labelled corpus directory (format: classify/pii/CORPUS.md)\n"},
	"eval-routing": {"eval-routing [--config FILE] DIR", "  DIR  a labelled corpus directory (format: classify/testdata/corpus/README.md)\n"},
	"version":      {"version", ""},
}

// setUsage makes fs's --help print the command's synopsis, its positional
// arguments and its flags.
func setUsage(fs *flag.FlagSet) {
	fs.Usage = func() {
		w := fs.Output()
		h, ok := commandHelp[fs.Name()]
		if !ok {
			h.synopsis = fs.Name() + " [flags]"
		}
		fmt.Fprintf(w, "Usage: synpunkt %s\n\n", h.synopsis)
		if h.args != "" {
			fmt.Fprintf(w, "Arguments:\n%s\n", h.args)
		}
		fmt.Fprintln(w, "Flags:")
		fs.PrintDefaults()
	}
}
