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
	synpunkt.DocBerom: `tack:1.5|tacka:1.5|tusen tack:2.5|stort tack:3|tack till:2.5|beröm:3|berömma:3|fantastisk:2|underbar:2|toppen:2|
		jättebra:2.5|superbra:2.5|så bra:1.5|=bra:1|nöjd:1.5|tacksam:1|trevlig:1|bra bemötande:2|trevligt bemötande:2|
		hjälpsam:1.5|imponerande:2|bra jobbat:2.5|guld värda:2.5|härlig:1.5|så fint:1.5|=fin:1|uppskatta:1.5|uppskattade:1|
		strålande:1.5|kunnig:1|äntligen:1|smidig:1.5|glad:1|trivs:1.5|älskar:1.5|vilken fin:2|lyhörd:1|
		thank:2|thanks:2|great:1.5|wonderful:2|excellent:2|amazing:2|praise:3|helpful:1.5|
		tack på förhand:-1.5|tack för svar:-1.5|tack för hjälpen:-0.5|tacksam för svar:-1|tack för ingenting:-3|bra jobbat kommunen:-3`,
	synpunkt.DocKlagomal: `klagomål:3|klaga:2|klagat:2|under all kritik:3|dålig:2|dåligt:2|sämre:1.5|oacceptabel:3|inte acceptabel:3|orimlig:2|
		skandal:3|besviken:2|missnöjd:2.5|missnöje:2.5|inte nöjd:3|inte nöjda:3|upprörd:2|arg:1.5|för sent:1.5|försenad:1|=aldrig:1|
		ingen svarar:2|inget svar:2|inte fått svar:2.5|inte fått något svar:2.5|svarar inte:2|svarar aldrig:2|väntat:1|skärpning:3|skäms:3|skämt:2|
		kräver:2|orättvis:2|illa:2|äcklig:2|bedrövlig:3|slarv:2|stökig:1.5|ovärdig:2|ingenting händer:2|inget händer:2|
		har inte hänt:2|inte hänt någonting:2|fortfarande:1.5|påminnelse:2|för lång tid:2|så lång tid:1.5|alldeles för:1.5|urusel:3|
		fruktansvärd:2|outhärdlig:2|ohållbar:2|stressad:1|personalbrist:1.5|underbemannat:1.5|nedlåtande:2|sviker:2|
		på allvar:1|inte rimligt:2|inte okej:2|hur kan det komma sig:2|vem har fattat:2|dumma:2|tack för ingenting:4|
		bra jobbat kommunen:4|sätt stopp:2|gör om:1.5|fel beslut:2|beslutet är fel:2.5|ingen informerar:2|ingen information:1.5|
		inte ens:1|kan ni inte:2|hur kunde ni:2.5|som jag anmälde:3|jag anmälde:2.5|har anmält:2|i månader:1.5|omöjlig:1.5|hungriga:1|fryser:1|ensam:1|struntar:2|ignorerar:2|gör ingenting:2|inget har hänt:2.5|
		unacceptable:3|complain:2.5|complaint:2.5|complained:2.5|disappointed:2.5|not good enough:3|terrible:2|unreasonable:2|
		nobody:1|=never:1|confusing:1.5|stressed:1|left:0.5`,
	synpunkt.DocForslag: `förslag:3|föreslå:3|föreslår:3|skulle vilja:1.5|vore bra om:2.5|vore fint:2.5|vore det inte:2|vore kul:2|
		det vore:2|skulle vara:1|=borde:1.5|kunde ni:1.5|kanske kunde:2|tips:1.5|idé:2|önskar:1.5|önskemål:2|det behövs:1.5|
		=fler:1|sätt upp:1.5|hoppas:1|överväga:2|plantera:1|inför:1|erbjuda:1.5|skulle det inte vara:2.5|=bygg en:1.5|
		suggest:3|suggestion:3|would be great:2.5|it would be:1.5|=should:1`,
	synpunkt.DocFraga: `?:1.5|hur gör:2.5|hur gör man:1|hur ansöker:3|=hur:1|=när:0.8|var kan:2|vart ska:1.5|=vilka:1|kan man:2|får man:2.5|
		behöver jag:2.5|behöver man:2.5|krävs det:2.5|finns det:1.5|undrar:2.5|=fråga:1.5|tacksam för svar:2.5|
		vad kostar:2.5|hur lång:2|gäller:1|har kommunen:1.5|hur bokar:2.5|hur räknas:2.5|hur länge:1.5|
		how do:2.5|=how:1|=when:0.8|=which:1|do i need:2.5|can i:2|is there:1.5|question:2|wondering:2|explain:1`,
	synpunkt.DocFelanmalan: `trasig:3|sönder:3|fungerar inte:2.5|funkar inte:2.5|ur funktion:3|läcka:3|läcker:3|släckt:2.5|lyser inte:3|
		blinkar:1.5|potthål:3|hål i:2.5|=hål:1.5|klotter:2.5|klottrat:2.5|graffiti:2.5|sprejat:2|nedklottrad:2.5|nedfallen:2.5|
		=fallit:2|blåst omkull:3|omkull:2|saknas:1.5|stopp i:2.5|svämmar över:2|krossad:2.5|krossat:2.5|lossnat:2|nedriven:2.5|
		dumpat:2|överfull:1.5|ej hämtade:2.5|inte hämtats:2.5|inte tömd:2.5|blev inte tömd:1|halt:1.5|sanda:1|sticker ut:1.5|
		åtgärda:1|=laga:1|=lagas:1.5|slutat fungera:3|=full:1.5|forsar:2|inget vatten:2.5|lågt vattentryck:2|ingen värme:2|utsläpp:1.5|
		broken:3|not working:2.5|=fallen:2|leak:3|pothole:3|flickering:2|out of order:3|=fix:1|repair:1.5`,
}

// builtinAreas is the topic knowledge of common municipal areas. A unit
// gets an area's vocabulary when the area name (or a synonym in
// areaSynonyms) is one of its aliases.
var builtinAreas = map[string]string{
	"kontaktcenter": `kontaktcenter:3|växeln:2.5|kommunhuset:2|reception:2|hemsida:2|webbplats:2|tjänst:1|chatt:1.5|protokoll:2|
		kommunstyrelse:1.5|intyg:1.5|mottagningskvitto:2.5|kvitto:1.5|skatt:1|flytt:1|synpunkt:0.5|kommunen:0.5|=ringt:0.5|website:2`,
	"gata": `=gata:0.5|=väg:0.5|vägen:0.5|gatlykta:3|gatubelysning:3|lykta:3|lyktstolpe:3|belysning:2|lampa:2|gatlampa:3|snöröjning:3|
		plogning:3|plog:3|plogas:3|plogat:3|=snö:2|snövall:3|halka:2.5|halt:1.5|sanda:2.5|sandning:2.5|isgata:2|backe:1.5|potthål:3|asfalt:2.5|
		trottoar:2|cykelbana:2.5|cykelväg:2.5|gångväg:2|gångbana:2|parkering:2.5|parkeringsbot:3|parkera:2|trafikljus:3|skylt:2|
		farthinder:3|övergångsställe:2.5|korsning:1.5|vägarbete:2.5|torget:1.5|=torg:1.5|busshållplats:1|hållplats:1|
		street light:3|streetlight:3|lamp post:3|pothole:3|=snow:2.5|parking:2.5|=road:1.5|pavement:2|footpath:2|sign:1|lamppost:3`,
	"park": `=park:2.5|parken:2.5|stadspark:2.5|lekplats:3|lekpark:3|gunga:2|rutschkana:2|parkbänk:3|bänk:2|=träd:1.5|gren:2|buskar:2|
		häck:1.5|papperskorg:2.5|skräp:1|klotter:3|graffiti:3|klottrat:3|nedklottrad:3|tagg:2|tunnel:1.5|blomma:1|blomlåda:2|
		blommor:1|fruktträd:2|hundrastgård:3|promenadstråk:2|parkarbetare:3|playground:3|=tree:1.5`,
	"avfall": `sopor:3|sopbil:3|sopkärl:3|soptunna:3|sophämtning:3|sophämtare:3|sopsäck:2.5|soprum:2.5|=kärl:2.5|kärlet:2.5|tömning:2.5|
		tömd:2|tömma:1.5|hämtning:1.5|hämtats:1|grovsopor:3|grovavfall:3|avfall:3|matavfall:3|återvinning:3|återvinningscentral:3|
		återvinningsstation:3|förpackning:2|renhållning:3|farligt avfall:3|batterier:2|målarfärg:2|påsar:1|nedskräpning:1|
		garbage:3|=bin:2|recycling:3|waste:3|rubbish:3|trash:3`,
	"va": `vatten:2|vattnet:2|dricksvatten:3|kranvatten:3|vattenläcka:3|läcka:1.5|vattentryck:3|avlopp:3|avloppsvatten:3|brunn:2.5|
		brunnslock:3|dagvatten:3|ledning:2|översvämning:2|vattenmätare:3|=va:3|kokningsrekommendation:3|klor:2|brandpost:3|
		kran:1.5|=water:2|sewage:3|sewer:3|drain:2.5|drains:2.5|floods:1.5`,
	"bygglov": `bygglov:4|bygga:1.5|bygge:2|attefall:3|attefallshus:3|altan:2|garage:1.5|tillbyggnad:2.5|staket:2|plank:2|startbesked:3|
		detaljplan:2.5|ritning:2|solceller:1.5|svartbygge:3|tomtgräns:2|building permit:4|planning permission:4`,
	"miljo": `miljö:2|miljöförvaltning:3|miljökontor:3|miljöinspektör:3|hälsoskydd:3|inspektion:2|buller:2.5|bullret:2.5|lukt:1.5|
		luktar:1.5|råtta:2.5|råttor:2.5|skadedjur:3|mögel:2|radon:3|eldning:2.5|elda:2.5|eldar:2.5|vedeldning:3|=rök:2|röken:2|
		utsläpp:3|olja:2|diesel:2|höns:2.5|livsmedel:2|restaurang:2|badvatten:3|badplats:2|fisk:1.5|fiskar:1.5|laddstolpe:2|
		klimat:1.5|byggarbetsplats:1.5|fläkt:1.5|food truck:2|environmental:3|noise:2.5|smell:1.5|rats:2.5`,
	"forskola": `förskola:4|förskolan:4|förskolor:4|förskollärare:3|pedagog:1.5|dagis:3|inskolning:3|barngrupp:2.5|barnomsorg:3|
		planeringsdag:2|preschool:4|kindergarten:4|daycare:4|nursery:3`,
	"grundskola": `skola:3|grundskola:4|=elev:1|lärare:1.5|rektor:2|=klass:1.5|klassen:1.5|årskurs:3|fritids:3|fritidshem:3|läxhjälp:2.5|
		skolmat:2.5|matsal:2|skolgård:3|=rast:2|rasterna:2|skolskjuts:3|skolbuss:3|särskilt stöd:2|termin:1.5|skolbyte:2|byta skola:3|
		school:3|pupil:2|pupils:2|teacher:1.5`,
	"gymnasium": `gymnasium:4|gymnasie:4|gymnasiet:4|program:1.5|programmet:1.5|studiebidrag:3|antagning:2.5|student:2|yrkesprogram:2.5|
		busskort:1|nationella prov:1|upper secondary:4|high school:4`,
	"hemtjanst": `hemtjänst:4|trygghetslarm:3|matdistribution:3|mat levererad:2|biståndsbeslut:1|omsorg:1|dusch:1|morgonbesök:2|
		kvällsbesök:2|home care:4|evening visit:1.5|hemma:1`,
	"aldreboende": `äldreboende:4|särskilt boende:4|=boende:1.5|boendet:1.5|demens:1.5|korttidsboende:3|äldreomsorg:2|nursing home:4|
		care home:4|anhöriga:1|de boende:1.5|besökstid:2`,
	"ifo": `socialtjänst:4|socialsekreterare:4|försörjningsstöd:4|ekonomiskt bistånd:4|bistånd:1.5|familjeenhet:3|familjerådgivning:3|
		familjecentral:2.5|familjeomsorg:4|skuldrådgivning:3|budgetrådgivning:3|missbruk:3|orosanmälan:3|föräldrastöd:2.5|
		föräldragrupp:2.5|social worker:4|social services:4`,
	"bibliotek": `bibliotek:4|biblioteket:4|bibliotekarie:4|=bok:2|boken:2|böcker:2|bokautomat:3|bokinkast:3|ljudbok:2.5|ljudböcker:2.5|
		lånekort:3|låna:2|förseningsavgift:3|sagostund:3|meröppet:3|library:4|books:2`,
	"idrott": `idrott:3|idrottsplats:3|idrottshall:3|simhall:4|badhus:4|simskola:4|simma:2|sporthall:4|omklädningsrum:2.5|motionsspår:3|
		elljusspår:3|utegym:3|=gym:2|fotboll:2.5|konstgräs:3|konstgräsplan:3|innebandy:2.5|förening:1|fritidsgård:4|skatepark:3|
		ishall:3|bastu:2.5|basketkorg:2.5|swimming:4|=pool:3|sports:3`,
	"kultur": `kultur:3|kulturhus:3|kulturhuset:3|kulturskola:4|kulturskolan:4|kulturstöd:3|konsthall:4|utställning:3|konsert:3|teater:3|
		barnteater:3|musik:2|lektion:1.5|kurs:1.5|museum:3|=konst:2|biljett:1.5|culture:3|concert:3|theatre:3`,
}

// areaSynonyms maps further alias names to a built-in area.
var areaSynonyms = map[string]string{
	"renhallning": "avfall", "sopor": "avfall", "vatten": "va", "halsoskydd": "miljo", "skola": "grundskola",
	"socialtjanst": "ifo", "fritid": "idrott", "simhall": "idrott", "kulturskola": "kultur", "kc": "kontaktcenter",
}

// weighted is a term with its weight.
type weighted struct {
	term   term
	weight float64
}

// parseWeighted parses a "word:weight|word:weight" table.
func parseWeighted(table string) []weighted {
	var out []weighted
	for _, e := range strings.Split(table, "|") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		i := strings.LastIndexByte(e, ':')
		w, err := strconv.ParseFloat(e[i+1:], 64)
		if i < 0 || err != nil {
			panic("classify: bad built-in entry " + e)
		}
		out = append(out, weighted{term: parseTerm(e[:i]), weight: w})
	}
	return out
}
