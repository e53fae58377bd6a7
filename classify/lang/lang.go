// Package lang detects the language a citizen wrote in, so the receipt
// can answer in it (språklagen 2009:600; the national minority languages
// law). It owns a small embedded detector: the script decides Arabic,
// Persian, Hebrew-script Yiddish and Cyrillic; among Latin-script
// languages each has a profile of frequent short words and of letters
// only it uses, and the best-scoring profile wins.
//
// What always holds: Detect returns an ISO 639 code from Codes, or "" when
// the text gives too little to tell; it never fails and reads no network.
// How it fails: by guessing wrong on very short or mixed text; callers fall
// back to Swedish on "" or on a language they do not serve.
package lang

import (
	"strings"
	"unicode"
)

// Codes lists the languages Detect can return.
var Codes = []string{"sv", "en", "fi", "fit", "se", "rom", "yi", "ar", "fa", "so", "pl", "de", "es", "fr", "ru", "ti"}

// Names are the languages' names in Swedish, for staff.
var Names = map[string]string{"sv": "svenska", "en": "engelska", "fi": "finska", "fit": "meänkieli", "se": "samiska",
	"rom": "romani", "yi": "jiddisch", "ar": "arabiska", "fa": "persiska", "so": "somaliska", "pl": "polska",
	"de": "tyska", "es": "spanska", "fr": "franska", "ru": "ryska", "ti": "tigrinja"}

// profile is one Latin-script language: frequent words and letters that
// mark it.
type profile struct {
	words   map[string]bool
	letters string
	// endings are word endings typical of the language (Finnish case
	// endings, Somali definite articles, English -ing); seqs are letter
	// sequences it uses often and its neighbours seldom. A word outside
	// words scores endingScore for an ending (with three letters before
	// it) and seqScore for a sequence, at most one of each, so that
	// short messages of content words alone can be told.
	endings, seqs []string
}

const (
	endingScore = 0.5
	seqScore    = 0.4
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var profiles = map[string]profile{
	"sv": {words(`och att det som är en på för med har inte jag vi ni de den till av om kan ska var så men har eller från vid hur varför när vill mitt min vår våra finns blir efter också bara nu här där hej tack mvh kommunen
		bra dålig trasig trasiga trasigt lampor gata gatan skola skolan förskola tack jobbat snälla fel alla inget ingen ingenting hjälp snö snön igen sen ej mig dig oss er ring`), "åäö",
		[]string{"ning", "ningen", "arna", "erna", "orna", "heten", "lig", "ligt", "liga", "igt", "iga", "ade", "ades", "tion", "gatan", "vägen", "platsen"},
		[]string{"sj", "skj", "stj", "tj", "kv", "ck", "å", "ä", "ö"}},
	"en": {words(`the and to of is in it that for you on with are was be this have not my we our i can why when how please would there they your at from no been do does could hi dear thanks regards
		thank great good well done so much very love awesome terrible bad nice help wow amazing really just all it's i'm don't can't what who where
		job guys service people again never ever always still today yesterday street park road town council school`), "",
		[]string{"ing", "ly", "ed", "tion", "ous", "ful", "ness", "ment"},
		[]string{"th", "wh", "ght", "ee", "oo", "ea", "ou", "w", "'s", "n't", "ck"}},
	"fi": {words(`ja on ei se että en ole oli kun mutta myös tai kuin mitä miten miksi voisitteko hei kiitos minun meidän meille tämä tämän sen ovat olen jo vain nyt siitä kanssa koska ettei onko voiko rikki toimi toimii ole eikä olisi voisi pitäisi milloin missä mikä kuka haluan haluaisin tarvitsen kunta kunnan kaupunki meillä teidän heti aina vielä paljon liian hyvin terveisin ystävällisin
		vesi veden vettä katu kadulla kadulle kadun tie tiellä talo koulu koulun päiväkoti kirjasto kirjaston roska roskat roskia lumi lunta valo katuvalo auki kiinni
		aukioloajat aukioloaika joulu jouluna juhannus pääsiäinen maksu lapsi lapset bussi puisto uimahalli terveyskeskus asunto vuokra apua kiitos hyvää huono paljon
		kiitoksia moi moikka päivää huomenta`), "äö",
		[]string{"ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "aan", "ään", "iin", "ineen", "ssaan", "ttu", "tty", "taa", "tää", "vat", "vät", "nut", "nyt", "ko", "kö", "ajat", "ujen", "ien"},
		[]string{"uo", "yö", "ää", "öö", "aa", "ii", "uu", "yy", "äi", "öy", "ts", "kk", "pp", "tt"}},
	"fit": {words(`ja oon ei se ette mie sie met tet het mutta kans ko mitä miten miksi kiitos meän tämä net olen jo vain nyt siittä kansa ette onko kiitos hyvä päivää`), "äö", nil, nil},
	"se":  {words(`ja lea ii dat mun don mii leat go lei das dan ahte vai maid movt manin giitu buorre beaivi sámi mu min dál`), "áčđŋšŧž", nil, nil},
	"rom": {words(`me tu vi si na te o e ando katar thaj kaj sar but ame tumen mange tuke phen naj nais kerav akana mishto`), "", nil, nil},
	"so": {words(`waxaan iyo ku oo ka in ay waa si la aan ma waxay haddii sida laga kale mahadsanid fadlan hooyo guri caruurta dugsiga wax
		waxaa waxa ayaa ayuu ayay yahay tahay jira maaha haa maya aad soo ee noo iga kaga qof biyo waddo waddada jidka magaalada xafiiska qashin qashinka nal nalka
		maxaa sidee goorma halkee dhibaato wanaagsan fiican aad baad mahad nabad salaan asc walaal`), "",
		[]string{"ada", "ada", "aha", "ka", "ga", "ta", "da", "aa", "ayaa", "yaa"},
		[]string{"aa", "dh", "kh", "x", "q", "c", "oo", "uu", "ii"}},
	"pl": {words(`i w nie na się z do że to jest jak o co dla od po ale czy jestem mój moja moje dlaczego już tylko bardzo dziękuję proszę szkoła`), "łąęśżźćń", nil, nil},
	"de": {words(`und der die das ist nicht ich wir sie es zu mit auf für ein eine den dem von warum wie danke bitte haben`), "ßü", nil, nil},
	"es": {words(`el la de que y en los las por para con no es una un mi por qué cómo gracias hola está`), "ñ¿¡", nil, nil},
	"fr": {words(`le la les de et est pas je nous vous il elle un une pour avec dans que qui pourquoi comment merci bonjour`), "çœ", nil, nil},
}

// minWords is how many profile words a Latin-script text needs before
// Detect names its language.
const minWords = 1

// Detect returns the language of text, or "" when it cannot tell.
func Detect(text string) string {
	if s := byScript(text); s != "" {
		return s
	}
	toks := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	best, bestScore := "", 0.0
	for _, code := range Codes {
		p, ok := profiles[code]
		if !ok {
			continue
		}
		score := 0.0
		for _, t := range toks {
			if p.words[t] {
				score++
				continue
			}
			score += endingSeqScore(t, p)
		}
		if score < minWords {
			continue
		}
		score += letterScore(text, p.letters, code)
		score = score / float64(len(toks)+1)
		if score > bestScore {
			best, bestScore = code, score
		}
	}
	return best
}

// endingSeqScore scores a word that is not in p.words by p's endings
// and letter sequences.
func endingSeqScore(t string, p profile) float64 {
	s := 0.0
	for _, e := range p.endings {
		if strings.HasSuffix(t, e) && len([]rune(t))-len([]rune(e)) >= 3 {
			s += endingScore
			break
		}
	}
	for _, q := range p.seqs {
		if strings.Contains(t, q) {
			s += seqScore
			break
		}
	}
	return s
}

// letterScore rewards the letters that mark a language, and penalises
// Swedish å in Finnish and Meänkieli texts.
func letterScore(text, letters, code string) float64 {
	low := strings.ToLower(text)
	s := 0.0
	for _, r := range letters {
		s += 0.5 * float64(strings.Count(low, string(r)))
	}
	switch code {
	case "fi", "fit":
		s += 0.3*float64(strings.Count(low, "aa")+strings.Count(low, "ii")+strings.Count(low, "uu")+strings.Count(low, "yy")+strings.Count(low, "ää")) - 2*float64(strings.Count(low, "å"))
	case "so":
		s += 0.3 * float64(strings.Count(low, "aa")+strings.Count(low, "dh")+strings.Count(low, "kh"))
	}
	return s
}

// byScript decides the languages whose script is their own: Arabic
// script (Persian when it uses پ چ ژ گ or Persian yeh/keheh), Hebrew
// script (Yiddish, as a Swedish minority language), Cyrillic (Russian)
// and Ethiopic (Tigrinya).
func byScript(text string) string {
	var arabic, persian, hebrew, cyrillic, ethiopic, latin int
	for _, r := range text {
		switch {
		case strings.ContainsRune("پچژگکی", r):
			persian++
			arabic++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Hebrew, r):
			hebrew++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		case unicode.Is(unicode.Ethiopic, r):
			ethiopic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	switch {
	case arabic > latin && persian > 0:
		return "fa"
	case arabic > latin:
		return "ar"
	case hebrew > latin:
		return "yi"
	case cyrillic > latin:
		return "ru"
	case ethiopic > latin:
		return "ti"
	}
	return ""
}
