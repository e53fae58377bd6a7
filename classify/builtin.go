package classify

import (
	"strconv"
	"strings"

	synpunkt "github.com/exempelby/synpunkt"
)

// The built-in vocabulary. Entries are "word or phrase:weight"; words match
// inflections and compounds (see matchWord), "=word" only the exact word.
// The config adds to these with [[classify.category_rules]] and unit
// keywords; a negative weight damps.

// builtinCategory is the category vocabulary, Swedish first, then English.
var builtinCategory = map[synpunkt.DocType]string{
	synpunkt.DocBerom: `kiitos paljon:2.5|loistava:2|hienoa:2|ihana:1.5|dziękuję bardzo:2.5|świetny:2|świetna:2|wspaniały:2|wspaniale:2|شكرا جزيلا:2.5|ممتاز:2|رائع:2|خیلی ممنون:2|عالی:2|aad u fiican:2|aad baad u mahadsantihiin:2.5|
		tack:1.5|tacka:1.5|tusen tack:2.5|stort tack:3|tack till:2.5|beröm:3|berömma:3|fantastisk:2|underbar:2|toppen:2|
		jättebra:2.5|superbra:2.5|så bra:1.5|=bra:1|nöjd:1.5|tacksam:1|trevlig:1|bra bemötande:2|trevligt bemötande:2|
		hjälpsam:1.5|imponerande:2|bra jobbat:2.5|guld värda:2.5|härlig:1.5|så fint:1.5|=fin:1|uppskatta:1.5|uppskattade:1|
		=strålande:1.5|kunnig:1|äntligen:1|smidig:1.5|glad:1|trivs:1.5|älskar:1.5|vilken fin:2|lyhörd:1|
		eloge:3|hatten av:3|ros till:3|en ros:2.5|guldstjärna:3|grymt jobbat:3|=grymt:1.5|=bäst:1.5|tack vare:1.5|har hjälpt mig:2|hjälpt oss:1.5|tog tag i:1.5|stunning:2.5|gorgeous:2|beautiful:1.5|delighted:2.5|supernöjd:3|jättenöjd:3|mycket nöjd:2.5|bästa:1.5|proffsig:2|
		proffsigt:2|=kul:1|roligt:1|mysig:1.5|=lyckat:2|=lyckade:2|=lyckad:2|välskött:2|snyggt:1.5|fräsch:1.5|fint jobb:3|bra jobb:3|vill berömma:3|
		vill ge beröm:3|värt att nämna:1.5|sticka ut hakan:0|positiv:1.5|positivt:1.5|glädje:1.5|uppskattat:2|kanon:2|klockren:2|
		imponerad:2.5|imponerade:2|stort plus:3|plus i kanten:3|kanonjobb:3|kanonbra:3|toppenjobb:3|gör skillnad:2.5|skiner upp:2|över förväntan:3|
		över förväntningarna:3|positivt överraskad:3|snabbt och smidigt:2.5|
		compliments:3|compliment:3|=rocks:2|above and beyond:3|kiittää:2.5|
		=love:1.5|brilliant:2|fantastic:2|well done:2.5|kudos:3|appreciate:2|lovely:1.5|
		thank:2|thanks:2|=great:1.5|magisk:2|magiskt:2|inspirerande:2|jätteinspirerande:2.5|gör mig glad:2.5|känsla för:1.5|blev glad:2|så glad:2|=glada:1|=magical:2|inspiring:2|wonderful:2|excellent:2|amazing:2|praise:3|helpful:1.5|
		tack på förhand:-1.5|tack för svar:-1.5|tack för hjälpen:-0.5|tacksam för svar:-1|tack för ingenting:-3|bra jobbat kommunen:-3`,
	synpunkt.DocKlagomal: `valitus:3|huono:2|huonoa:2|ei vastaa:2|skarga:3|niedopuszczalne:3|nikt nie odpowiada:2.5|شكوى:3|غير مقبول:3|لا أحد يجيب:2.5|لم أحصل على أي رد:2.5|شکایت:3|غیر قابل قبول:3|cabasho:3|lama aqbali karo:3|
		klagomål:3|klaga:2|klagat:2|under all kritik:3|dålig:2|dåligt:2|sämre:1.5|oacceptabel:3|inte acceptabel:3|orimlig:2|
		skandal:3|besviken:2|missnöjd:2.5|missnöje:2.5|inte nöjd:3|inte nöjda:3|upprörd:2|=arga:1.5|=arg:1.5|för sent:1.5|försenad:1|=aldrig:1|
		ingen svarar:2|inget svar:2|inte fått svar:2.5|inte fått något svar:2.5|svarar inte:2|svarar aldrig:2|=väntat:1|skärpning:3|skäms:3|skämt:2|
		kräver:2|orättvis:2|=illa:2|äcklig:2|bedrövlig:3|slarv:2|stökig:1.5|ovärdig:2|ingenting händer:2|inget händer:2|
		har inte hänt:2|inte hänt någonting:2|fortfarande:1.5|påminnelse:2|för lång tid:2|så lång tid:1.5|alldeles för:1.5|urusel:3|
		fruktansvärd:2|outhärdlig:2|ohållbar:2|stressad:1|personalbrist:1.5|underbemannat:1.5|nedlåtande:2|sviker:2|
		på allvar:1|inte rimligt:2|inte okej:2|hur kan det komma sig:2|vem har fattat:2|=dumma:2|tack för ingenting:4|
		bra jobbat kommunen:4|sätt stopp:2|gör om:1.5|fel beslut:2|beslutet är fel:2.5|ingen informerar:2|ingen information:1.5|
		för lite:1.5|för korta:1.5|passar inte:1.5|dumt beslut:2.5|har slutat med:1.5|för mycket:1|ei ole hyväksyttävää:3|
		inte ens:1|hur kunde ni:2.5|som jag anmälde:3|jag anmälde:2.5|har anmält:2|=i månader:1.5|omöjlig:1.5|hungriga:1|fryser:1|=ensam:1|struntar:2|ignorerar:2|gör ingenting:2|inget har hänt:2.5|
		löjligt:2|löjlig:2|pinsamt:2|pinsam:2|katastrof:2.5|katastrofal:2.5|uselt:3|usel:3|förfärlig:2.5|horribel:2.5|
		=fan:1.5|jävla:2|idiotisk:2.5|=korkad:2|=korkade:2|=korkat:2|slöseri:2.5|skattepengar:1.5|trött på:2.5|less på:2.5|frustrerad:2|frustrerande:2|
		irriterad:2|irriterande:2|förbannad:2.5|=rasande:2.5|hemskt:1.5|sunkig:1.5|respektlös:2.5|otrevlig:2.5|oförskämd:2.5|
		arrogant:2.5|slarvigt:2|ingen bryr sig:2.5|bryr sig inte:2|hur svårt:2|varje år:1|samma sak:1|gång på gång:2|
		awful:2|rude:2.5|ei hyväksyttävää:3|ei hyväksyttävä:3|too fast:2|way too:1.5|talk to your staff:2.5|rena rånet:3|rån:1.5|ridiculous:2.5|fed up:2.5|
		unacceptable:3|complain:2.5|complaint:2.5|complained:2.5|disappointed:2.5|not good enough:3|terrible:2|unreasonable:2|
		nobody:1|=never:1|confusing:1.5|stressed:1|left:0.5`,
	synpunkt.DocForslag: `ehdotan:3|ehdotus:3|proponuję:3|propozycja:3|اقتراح:3|أقترح:3|پیشنهاد:3|soo jeedin:3|
		förslag:3|föreslå:3|föreslår:3|skulle vilja:1.5|vore bra om:2.5|vore fint:2.5|vore det inte:2|vore kul:2|
		det vore:2|skulle vara:1|=borde:1.5|kunde ni:1.5|kanske kunde:2|=tips:1.5|idé:2|önskar:1.5|önskemål:2|det behövs:1.5|
		=fler:1|sätt upp:1.5|hoppas:1|överväga:2|plantera:1|inför:1|erbjuda:1.5|skulle det inte vara:2.5|=bygg en:1.5|
		suggest:3|suggestion:3|would be great:2.5|it would be:1.5|=should:1`,
	synpunkt.DocFraga: `?:1.5|hur gör:2.5|hur gör man:1|hur ansöker:3|=hur:1|=när:0.8|var kan:2|vart ska:1.5|=vilka:1|kan man:2|får man:2.5|
		behöver jag:2.5|behöver man:2.5|krävs det:2.5|finns det:1.5|undrar:2.5|=fråga:1.5|tacksam för svar:2.5|
		vad kostar:2.5|vem ansvarar:3|vems ansvar:3|vem är ansvarig:3|who is responsible:3|hur lång:2|gäller:1|har kommunen:1.5|hur bokar:2.5|hur räknas:2.5|hur länge:1.5|
		how do:2.5|=how:1|=when:0.8|=which:1|do i need:2.5|can i:2|is there:1.5|question:2|wondering:2|explain:1`,
	synpunkt.DocFelanmalan: `rikki:3|ei toimi:2.5|zepsuty:3|zepsuta:3|zepsute:3|nie działa:2.5|مكسور:3|معطل:3|لا يعمل:2.5|خراب:3|jaban:3|ma shaqeynayo:2.5|
		trasig:3|sönder:3|fungerar inte:2.5|funkar inte:2.5|ur funktion:3|läcka:3|läcker:3|släckt:2.5|lyser inte:3|
		blinkar:1.5|potthål:3|hål i:2.5|=hål:1.5|klotter:2.5|klottrat:2.5|graffiti:2.5|sprejat:2|nedklottrad:2.5|nedfallen:2.5|
		=fallit:2|blåst omkull:3|omkull:2|saknas:1.5|stopp i:2.5|svämmar över:2|krossad:2.5|krossat:2.5|lossnat:2|nedriven:2.5|
		dumpat:2|överfull:1.5|ej hämtade:3.5|inte hämtade:3.5|inte hämtad:3.5|kom inte:1.5|inte hämtats:3.5|inte tömd:3.5|inte tömts:3.5|blev inte tömd:1|halt:1.5|=sanda:1|sticker ut:1.5|
		åtgärda:1|=laga:1|=lagas:1.5|slutat fungera:3|=full:1.5|=forsar:1|inget vatten:2.5|lågt vattentryck:2|ingen värme:2|utsläpp:1.5|
		kaputt:3|=paj:3|pajad:3|gått sönder:3|vält:2|=vältes:2|rasat:2.5|hänger löst:3|sprucken:2.5|spricka:2|sprickor:2|
		igensatt:3|igensatta:3|stopp:1.5|blockerar:2|ligger över:1.5|krossat glas:3|glassplitter:3|vassa:1|=fixa:1|fixas:1.5|
		smashed:3|blocked:2.5|=flickers:2|går inte att:1.5|kan någon kolla:2.5|kan ni kolla:2.5|kan någon titta:2.5|kan ni titta på:2|skicka någon:2.5|
		slut på:1.5|send someone:2.5|please check:2|
		piper:1.5|tjuter:1.5|slocknat:2.5|ur drift:3|står still:2|har stannat:2|hänger sig:2.5|droppar:2|strömavbrott:2.5|ingen ström:2.5|fastnat:1.5|kärvar:2|blåst ner:2.5|glappar:2|lossnar:2|
		beeping:2|leaking:3|jammed:2|no power:2.5|power cut:2.5|
		broken:3|not working:2.5|=fallen:2|leak:3|pothole:3|flickering:2|out of order:3|=fix:1|repair:1.5`,
}

// weighted is a term with its weight.
type weighted struct {
	term   term
	weight float64
}

// entries splits a "a|b|c" table into its entries, trimmed, leaving out
// empty ones.
func entries(table string) []string {
	var out []string
	for _, e := range strings.Split(table, "|") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// parseWeighted parses a "word:weight|word:weight" table.
func parseWeighted(table string) []weighted {
	var out []weighted
	for _, e := range entries(table) {
		i := strings.LastIndexByte(e, ':')
		w, err := strconv.ParseFloat(e[i+1:], 64)
		if i < 0 || err != nil {
			panic("classify: bad built-in entry " + e)
		}
		out = append(out, weighted{term: parseTerm(e[:i]), weight: w})
	}
	return out
}
