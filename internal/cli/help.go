package cli

import (
	"flag"
	"fmt"
)

// setUsage makes fs's --help print the command's synopsis, its positional
// arguments and its flags.
func setUsage(fs *flag.FlagSet) {
	fs.Usage = func() {
		w := fs.Output()
		h, ok := lookup(fs.Name())
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
