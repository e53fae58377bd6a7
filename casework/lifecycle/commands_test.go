package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// wantErr is an expected CommandError: its line and a part of its message.
type wantErr struct {
	line int
	msg  string
}

func TestParseCommands(t *testing.T) {
	tests := []struct {
		name string
		body string
		cmds []Command
		errs []wantErr
	}{
		{"empty", "", nil, nil},
		{"close", "#avsluta", []Command{{CmdClose, "", 1}}, nil},
		{"close with note", "Hej!\n#avsluta Vi har lagat lampan.", []Command{{CmdClose, "Vi har lagat lampan.", 2}}, nil},
		{"close with colon", "#Avsluta: Vi har lagat lampan.", []Command{{CmdClose, "Vi har lagat lampan.", 1}}, nil},
		{"indented upper case", "   \t#AVSLUTA", []Command{{CmdClose, "", 1}}, nil},
		{"no-break space", "\u00a0#avsluta", []Command{{CmdClose, "", 1}}, nil},
		{"byte order mark", "\ufeff#avsluta", []Command{{CmdClose, "", 1}}, nil},
		{"reopen", "#återöppna", []Command{{CmdReopen, "", 1}}, nil},
		{"reopen ascii", "#ateroppna", []Command{{CmdReopen, "", 1}}, nil},
		{"reopen decomposed", "#A\u030aterO\u0308ppna", []Command{{CmdReopen, "", 1}}, nil},
		{"reopen colon", "#återöppna:", []Command{{CmdReopen, "", 1}}, nil},
		{"reopen upper", "#ÅTERÖPPNA medborgaren hörde av sig igen", []Command{{CmdReopen, "medborgaren hörde av sig igen", 1}}, nil},
		{"forward", "#vidarebefordra Gatu- och parkenheten", []Command{{CmdForward, "Gatu- och parkenheten", 1}}, nil},
		{"forward colon and full stop", "#vidarebefordra: Gatu- och parkenheten.", []Command{{CmdForward, "Gatu- och parkenheten", 1}}, nil},
		{"forward without unit", "#vidarebefordra", nil, []wantErr{{1, "namnet på enheten"}}},
		{"forward colon only", "#vidarebefordra:  ", nil, []wantErr{{1, "namnet på enheten"}}},
		{"note", "#anteckning Ringde medborgaren 14/1.", []Command{{CmdNote, "Ringde medborgaren 14/1.", 1}}, nil},
		{"note without text", "#anteckning", nil, []wantErr{{1, "behöver en text"}}},
		{"preserve", "#bevara Tillför sakuppgifter", []Command{{CmdPreserve, "Tillför sakuppgifter", 1}}, nil},
		{"preserve without reason", "#Bevara", []Command{{CmdPreserve, "", 1}}, nil},
		{"two notes", "#anteckning Ett\n#anteckning Två", []Command{{CmdNote, "Ett", 1}, {CmdNote, "Två", 2}}, nil},
		{"stray carriage return", "#anteckning a\rb\t c", []Command{{CmdNote, "a b  c", 1}}, nil},
		{"all kinds", "#anteckning Ringt.\r\n#vidarebefordra Skola\r\n#avsluta\r\n",
			[]Command{{CmdNote, "Ringt.", 1}, {CmdForward, "Skola", 2}, {CmdClose, "", 3}}, nil},
		{"typo avslut", "#avslut", nil, []wantErr{{1, "Menade du #avsluta?"}}},
		{"extension avslutat", "#avslutat nu", nil, []wantErr{{1, "Menade du #avsluta?"}}},
		{"synonym stäng", "#stäng", nil, []wantErr{{1, "Menade du #avsluta?"}}},
		{"typo vidarebefodra", "#vidarebefodra Skola", nil, []wantErr{{1, "Menade du #vidarebefordra?"}}},
		{"prefix anteck", "#anteck hej", nil, []wantErr{{1, "Menade du #anteckning?"}}},
		{"synonym öppna", "#öppna", nil, []wantErr{{1, "Menade du #återöppna?"}}},
		{"error lists commands", "#stang", nil, []wantErr{{1, "#avsluta [kommentar], #återöppna, #vidarebefordra <enhet>, #anteckning <text> och #bevara [skäl]"}}},
		{"hashtag mid-line", "vi gillar #exempelby och #avsluta", nil, nil},
		{"hashtag at line start", "#exempelby är bäst", nil, nil},
		{"markdown heading", "# Rubrik\n## avsluta", nil, nil},
		{"number", "#1 i kön", nil, nil},
		{"quoted line", "> #avsluta\n>#återöppna", nil, nil},
		{"quote inside own text", "Hej\n> citat\n#avsluta", []Command{{CmdClose, "", 3}}, nil},
		{"swedish reply header", "Tack!\n#avsluta Klart.\n\nDen 14 jan. 2026 kl. 10:00 skrev Anna Andersson <anna@example.se>:\n#återöppna\n> #anteckning x",
			[]Command{{CmdClose, "Klart.", 2}}, nil},
		{"gmail swedish header", "#anteckning ok\nDen ons 14 jan. 2026 kl 10:00 skrev Anna <anna@example.se>:\n#avsluta",
			[]Command{{CmdNote, "ok", 1}}, nil},
		{"thunderbird header", "Den 2026-01-14 kl. 10:00, skrev Anna Andersson:\n#avsluta", nil, nil},
		{"english header", "On Wed, Jan 14, 2026 at 10:00 AM Anna <anna@example.se> wrote:\n#avsluta", nil, nil},
		{"wrapped header", "#anteckning ok\nOn Wed, Jan 14, 2026 at 10:00 AM Anna Andersson <\nanna@example.se> wrote:\n#avsluta",
			[]Command{{CmdNote, "ok", 1}}, nil},
		{"skrev in running text", "Som medborgaren skrev:\n> lampan är trasig\n#avsluta", []Command{{CmdClose, "", 3}}, nil},
		{"beskrev is not skrev", "Som jag beskrev 14/1:\n#avsluta", []Command{{CmdClose, "", 2}}, nil},
		{"ursprungligt meddelande", "Hej\n-----Ursprungligt meddelande-----\n#avsluta", nil, nil},
		{"original message", "Hej\n----- Original Message -----\n#avsluta", nil, nil},
		{"forwarded message", "#anteckning se nedan\n---------- Forwarded message ---------\n#avsluta", []Command{{CmdNote, "se nedan", 1}}, nil},
		{"outlook swedish", "#anteckning Svarat per telefon.\n\n________________________________\nFrån: Anna Andersson <anna@example.se>\nSkickat: den 14 januari 2026 10:00\nTill: Synpunkter <synpunkter@exempelby.se>\nÄmne: Trasig lampa\n\n#avsluta",
			[]Command{{CmdNote, "Svarat per telefon.", 1}}, nil},
		{"outlook english bold", "*From:* Anna <anna@example.se>\n*Sent:* Wednesday, January 14, 2026 10:00\n#avsluta", nil, nil},
		{"från in own text", "Från: kontaktcenter\n#avsluta", []Command{{CmdClose, "", 2}}, nil},
		{"signature", "#avsluta\n-- \nAnna Andersson\n#stäng #exempelby", []Command{{CmdClose, "", 1}}, nil},
		{"close and reopen", "#avsluta\n#återöppna", nil, []wantErr{{2, "rad 1 har redan #avsluta"}}},
		{"close twice", "#avsluta\ntext\n#avsluta igen", nil, []wantErr{{3, "Inget av dem har utförts"}}},
		{"forward twice", "#vidarebefordra A\n#anteckning x\n#vidarebefordra B", []Command{{CmdNote, "x", 2}}, []wantErr{{3, "bara innehålla ett #vidarebefordra, men rad 1"}}},
		{"errors in line order", "#avslut\n#avsluta\n#återöppna\n#stäng",
			nil, []wantErr{{1, "Menade du"}, {3, "rad 2"}, {4, "Menade du"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds, errs := ParseCommands(tt.body)
			if !slices.Equal(cmds, tt.cmds) {
				t.Errorf("ParseCommands(%q) commands = %v, want %v", tt.body, cmds, tt.cmds)
			}
			if len(errs) != len(tt.errs) {
				t.Fatalf("ParseCommands(%q) errors = %v, want %v", tt.body, errs, tt.errs)
			}
			for i, e := range errs {
				if e.Line != tt.errs[i].line || !strings.Contains(e.Msg, tt.errs[i].msg) {
					t.Errorf("ParseCommands(%q) error %d = %+v, want line %d with %q", tt.body, i, e, tt.errs[i].line, tt.errs[i].msg)
				}
			}
		})
	}
}

func TestCommandErrorText(t *testing.T) {
	_, errs := ParseCommands("Hej\n   #avslut   \n#avsluta\n  #återöppna nu  ")
	want := []CommandError{
		{Line: 2, Text: "#avslut"},
		{Line: 4, Text: "#återöppna nu"},
	}
	if len(errs) != len(want) {
		t.Fatalf("ParseCommands errors = %v, want %v", errs, want)
	}
	for i, e := range errs {
		if e.Line != want[i].Line || e.Text != want[i].Text || e.Msg == "" {
			t.Errorf("error %d = %+v, want line %d text %q", i, e, want[i].Line, want[i].Text)
		}
		if e.Error() != fmt.Sprintf("line %d: %s", e.Line, e.Msg) {
			t.Errorf("Error() = %q", e.Error())
		}
	}
}

func FuzzParseCommands(f *testing.F) {
	seeds := []string{
		"", "#", "#avsluta", "#avsluta: Klart.", "#återöppna", "#ateroppna:", "#vidarebefordra", "#vidarebefordra Skola.",
		"#anteckning", "#anteckning text", "#avslut", "#stäng", "vi gillar #exempelby", "> #avsluta",
		"#avsluta\n#återöppna", "Den 14 jan. 2026 kl. 10:00 skrev Anna <a@b.se>:\n#avsluta",
		"Från: x\nSkickat: y\n#avsluta", "-----Original Message-----\n#avsluta", "-- \n#avsluta",
		"#\xff\xfe", "#\u00e5\u0308terö", "\r\n#avsluta\r", "#ÅTERÖPPNA\n#vidarebefordra a\n#vidarebefordra b",
		"#" + strings.Repeat("a", 200),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		cmds, errs := ParseCommands(body)
		nlines := strings.Count(body, "\n") + 1
		closing := 0
		for i, c := range cmds {
			switch c.Name {
			case CmdClose, CmdReopen:
				closing++
			case CmdForward, CmdNote:
				if c.Arg == "" {
					t.Errorf("command %+v without argument", c)
				}
			default:
				t.Errorf("unknown command name %q", c.Name)
			}
			if c.Line < 1 || c.Line > nlines || strings.ContainsFunc(c.Arg, unicode.IsControl) || c.Arg != strings.TrimSpace(c.Arg) {
				t.Errorf("bad command %+v in %d lines", c, nlines)
			}
			if i > 0 && cmds[i-1].Line >= c.Line {
				t.Errorf("commands out of order: %v", cmds)
			}
		}
		if closing > 1 {
			t.Errorf("%d of #avsluta/#återöppna returned: %v", closing, cmds)
		}
		for i, e := range errs {
			if e.Line < 1 || e.Line > nlines || e.Msg == "" || strings.ContainsFunc(e.Text, unicode.IsControl) || (i > 0 && errs[i-1].Line > e.Line) {
				t.Errorf("bad error %+v (errors %v)", e, errs)
			}
		}
	})
}
