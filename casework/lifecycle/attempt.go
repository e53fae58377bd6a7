package lifecycle

import (
	"strings"
	"unicode/utf8"
)

// synonyms maps folded words staff try instead of a command to the command
// they most likely mean.
var synonyms = map[string]string{
	"stang": CmdClose, "stanga": CmdClose, "stangt": CmdClose, "stangd": CmdClose,
	"klar": CmdClose, "klart": CmdClose, "avslutat": CmdClose, "avslutad": CmdClose,
	"close": CmdClose, "closed": CmdClose, "done": CmdClose, "arkivera": CmdClose,
	"oppna": CmdReopen, "oppen": CmdReopen, "ateruppta": CmdReopen, "reopen": CmdReopen,
	"forward": CmdForward, "fwd": CmdForward, "skicka": CmdForward, "flytta": CmdForward,
	"overlamna": CmdForward, "vidare": CmdForward,
	"note": CmdNote, "notera": CmdNote, "notering": CmdNote, "anteckna": CmdNote,
	"kommentar": CmdNote, "kommentera": CmdNote,
}

// maxAttemptLen bounds the words compared by edit distance.
const maxAttemptLen = 30

// resembles reports whether word looks like an attempt at a command, and
// which command it most likely means: a known synonym, a prefix of at least
// four letters or an extension of a command word, or a word within edit
// distance 2 of one. Other words ("#exempelby") are ordinary hashtags.
func resembles(word string) (command string, ok bool) {
	f := fold(word)
	if c, ok := synonyms[f]; ok {
		return c, true
	}
	if utf8.RuneCountInString(f) > maxAttemptLen {
		return "", false
	}
	for _, folded := range []string{"avsluta", "ateroppna", "vidarebefordra", "anteckning"} {
		prefix := len(f) >= 4 && strings.HasPrefix(folded, f)
		if prefix || strings.HasPrefix(f, folded) || editDistance(f, folded) <= 2 {
			return commandNames[folded], true
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
