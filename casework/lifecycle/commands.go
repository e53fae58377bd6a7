package lifecycle

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Command names, as Command.Name.
const (
	CmdClose   = "avsluta"
	CmdReopen  = "återöppna"
	CmdForward = "vidarebefordra"
	CmdNote    = "anteckning"
	// CmdPreserve marks the case to be preserved (bevaras); Arg, the
	// reason, may be empty.
	CmdPreserve = "bevara"
)

// validCommands is the list shown to staff when a command is not understood.
const validCommands = "#avsluta [kommentar], #återöppna, #vidarebefordra <enhet>, #anteckning <text> och #bevara [skäl]"

// Command is one command a staff member wrote in a mail.
type Command struct {
	Name string // one of the Cmd constants
	Arg  string // the rest of the line, trimmed, without control characters; empty only for avsluta and återöppna
	Line int    // 1-based line in the body
}

// CommandError is a line that tried to be a command and failed.
type CommandError struct {
	Line int    // 1-based line in the body
	Text string // the offending line, trimmed, without control characters
	Msg  string // Swedish explanation for the reply to the sender
}

func (e CommandError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseCommands finds the commands in a staff member's mail body, which
// must be the author's own text (synpunkt.Message.OwnText: no HTML
// blockquotes, no attached messages).
//
// A command is a line whose first non-space character is '#' followed by a
// command word, in any letter case and with or without å/ä/ö ("#ateroppna");
// the rest of the line, after an optional ':', is its Arg. Quoted text is
// ignored: lines starting with '>' and everything from a reply header ("Den
// … skrev:", "On … wrote:", "-----Ursprungligt meddelande-----", an Outlook
// "Från:"/"From:" header block) or a signature separator ("-- ") on. A
// '#word' that resembles a command ("#avslut", "#stäng") is a CommandError;
// other hashtags are text. At most one of #avsluta and #återöppna, and at
// most one #vidarebefordra, may appear: when more do, none of them is
// returned and each extra line is a CommandError. The commands returned are
// valid whatever errors there are; both come in line order.
func ParseCommands(body string) ([]Command, []CommandError) {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	p := cmdParser{lines: lines}
	for i, l := range lines[:ownText(lines)] {
		p.line(i+1, l)
	}
	p.exclusive(CmdClose, CmdReopen)
	p.exclusive(CmdForward)
	slices.SortStableFunc(p.errs, func(a, b CommandError) int { return cmp.Compare(a.Line, b.Line) })
	return p.cmds, p.errs
}

type cmdParser struct {
	lines []string // the body's lines, for error texts
	cmds  []Command
	errs  []CommandError
}

func (p *cmdParser) fail(n int, line, msg string) {
	p.errs = append(p.errs, CommandError{Line: n, Text: clean(line), Msg: msg})
}

// line parses line n of the sender's own text.
func (p *cmdParser) line(n int, line string) {
	rest, ok := strings.CutPrefix(strings.TrimLeftFunc(line, isSpace), "#")
	if !ok {
		return
	}
	word, arg := splitWord(rest)
	name, known := commandNames[fold(word)]
	if name == CmdForward {
		arg = strings.TrimRight(arg, ".! ") // "#vidarebefordra Skola." names the unit "Skola"
	}
	switch {
	case word == "":
	case !known:
		if sugg, attempt := resembles(word); attempt {
			p.fail(n, line, unknownMsg(word, sugg))
		}
	case name == CmdForward && arg == "":
		p.fail(n, line, "#vidarebefordra behöver namnet på enheten som ska ta över ärendet, till exempel \"#vidarebefordra Gatu- och parkenheten\".")
	case name == CmdNote && arg == "":
		p.fail(n, line, "#anteckning behöver en text, till exempel \"#anteckning Ringde medborgaren.\"")
	default:
		p.cmds = append(p.cmds, Command{Name: name, Arg: arg, Line: n})
	}
}

// exclusive allows at most one command named one of names: when there are
// more, it drops them all and reports each one after the first.
func (p *cmdParser) exclusive(names ...string) {
	var hits []Command
	for _, c := range p.cmds {
		if slices.Contains(names, c.Name) {
			hits = append(hits, c)
		}
	}
	if len(hits) < 2 {
		return
	}
	p.cmds = slices.DeleteFunc(p.cmds, func(c Command) bool { return slices.Contains(names, c.Name) })
	first := hits[0]
	for _, c := range hits[1:] {
		p.fail(c.Line, p.lines[c.Line-1], fmt.Sprintf(
			"Ett mejl kan bara innehålla %s, men rad %d har redan #%s. Inget av dem har utförts; skicka ett nytt mejl med bara det kommando du menar.",
			oneOf(names), first.Line, first.Name))
	}
}

// oneOf says "ett #vidarebefordra" or "ett av #avsluta och #återöppna".
func oneOf(names []string) string {
	if len(names) == 1 {
		return "ett #" + names[0]
	}
	return "ett av #" + strings.Join(names[:len(names)-1], ", #") + " och #" + names[len(names)-1]
}

func unknownMsg(word, sugg string) string {
	return fmt.Sprintf("Okänt kommando #%s. Menade du #%s? Giltiga kommandon är %s, vart och ett först på en egen rad.", word, sugg, validCommands)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

// splitWord splits "avsluta: Vi har lagat lampan." into the command word
// and its trimmed argument.
func splitWord(s string) (word, arg string) {
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) })
	if end < 0 {
		end = len(s)
	}
	return s[:end], strings.TrimLeft(clean(s[end:]), ":;,.!-–— ")
}

// clean turns control characters (a stray '\r', tabs) into spaces and trims
// spaces, so that an argument or quoted line is one clean line of text.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// commandNames maps folded command words to command names.
var commandNames = map[string]string{
	"avsluta":        CmdClose,
	"ateroppna":      CmdReopen,
	"vidarebefordra": CmdForward,
	"anteckning":     CmdNote,
	"bevara":         CmdPreserve,
}

// fold lower-cases s and drops the Swedish diacritics staff may leave out,
// precomposed or as combining marks (NFD text from some Mac clients).
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsMark(r) {
			return -1
		}
		switch r = unicode.ToLower(r); r {
		case 'å', 'ä':
			return 'a'
		case 'ö':
			return 'o'
		case 'é':
			return 'e'
		}
		return r
	}, s)
}
