package classify

import (
	"strings"

	"github.com/exempelby/synpunkt/config"
)

// Classes of mail that belong in another process, recognised by built-in
// vocabulary (with [classify] builtin) whether or not the config lists
// them. A configured [[classify.exclusions]] of the same class gives the
// destination, note and reply; otherwise the defaults below apply.
const (
	// ClassPublicDocuments is a request for public documents (begäran om
	// allmän handling, TF 2 kap.): it goes at once to the registry
	// ([classify] registry), which must handle it skyndsamt.
	ClassPublicDocuments = "allman_handling"
	ClassIncident        = "avvikelse" // HSL/SoL incident: avvikelsehantering
	ClassAbuse           = "krankning" // kränkande behandling or särbehandling
	ClassPolitical       = "politisk"  // political initiative or party mail
)

// builtinProcess is the built-in knowledge of one class: weighted words
// and phrases (as in builtin.go; inflections, no compound prefixes) and
// the score they must reach together. Context words weigh 1 so that they
// only tip a strong sign over the line.
// A message belongs to the class only when one term of weight
// strongSign or more is among the hits.
const strongSign = 2.5

type builtinProcess struct {
	vocab       string
	min         float64
	note, reply string
	// settings and acts generalise beyond the vocabulary's phrases: a
	// recipient or setting cue (home care, school, the council) together
	// with an event or act cue (fell, hit, demand that the decision …)
	// is one hit of comboWeight, explained with both words. Settings
	// match inflections and compounds ("hemtjänstpersonalen",
	// "LSS-boendet"); acts match as the vocabulary does.
	settings, acts string
	// against are signs that the message is something else (praise);
	// each hit lowers the score by its weight.
	against string
}

// comboWeight is the weight of a setting cue together with an act cue:
// alone it reaches a class's min.
const comboWeight = 5.0

var builtinProcesses = map[string]builtinProcess{
	ClassPublicDocuments: {
		vocab: `kopior på:2.5|diarieutdrag:5|diarieutdraget:5|diarielista:5|diarielistan:5|postlista:4|postlistan:4|diarieförda:3|diarieförd:3|avidentifierad form:3|avidentifierade:2|begäran om allmän handling:5|allmän handling:3|allmänna handlingar:3|begär att få ta del:5|vill ta del av:3|att få ta del av:3|
			begär ut:4|begära ut:4|begär härmed:3|begär att få:2|få ut kopia:4|få ut kopior:4|kopia på:1.5|kopior av:2.5|kopia av:2|
			ta del av:3.5|få ta del av:4|få ut:2.5|få ut en kopia:4|få en kopia:3|=kopia:1.5|utskrift:2.5|*diarium:3|diariet:3|akten:2|*ritningar:2|*ritningarna:2|
			*korrespondens:2|*korrespondensen:2|*mätningar:1.5|*mätningarna:1.5|yttranden:1.5|tjänsteanteckningar:2|*rapporter:1|*anmälningar:1|*handlingar:1.5|*handlingarna:1.5|
			i maskerad form:3|sekretessprövning:3|mejla dem:1|skicka dem:1|som pdf:1|
			offentlighetsprincipen:5|utlämnande:3|lämna ut:2|handlingarna:1.5|handlingar:1|protokollet:1|beslutsunderlag:1.5|
			diarienummer:1|mejl mellan:2|korrespondens:2|journalhandlingar:2.5|anteckningar om mig:2|avtal:1|avtalen:1|
			public access:4|public records:5|freedom of information:5|request copies:4|i request:2|copies of:2`,
		settings: `*fakturor|fakturorna|loggar|loggarna|loggen|e-post|e-posten|mejlet|*protokoll|*protokollen|*protokollet|*beslut|*besluten|*anbud|*anbuden|*handlingar|*rapporter|*rapporterna|*avtal|*avtalet|*ritningar|*journal|*journalen|
			e-postmeddelanden|e-postmeddelandena|mejlen|mejlväxling|mejlväxlingen|anteckningar|anteckningarna|*anteckningar|*anteckningarna|dokumentationen|
			reports|records|minutes|documents|contracts|correspondence|decisions|emails|e-mails`,
		acts: `vill ha ut|vill läsa|får jag ut|få ut dem|ta del av|få ut|få läsa|få se|vilja se|vill se|beställa|beställer|mejla dem|mejla mig|maila dem|maila mig|skicka mig|som pdf|få kopior|få kopia|kopior|kopia|
			send me|email me|may i see|copies|a copy`,
		min:   5,
		note:  "Begäran om allmän handling, inkommen till synpunktsbrevlådan. Ska handläggas skyndsamt (TF 2 kap.) – ingen synpunkt.",
		reply: "Tack. Din begäran om att få ta del av allmänna handlingar har lämnats till kommunens registratur och handläggs skyndsamt.",
	},
	ClassIncident: {
		vocab: `avvikelse:5|avvikelserapport:5|lex sarah:5|lex maria:5|vårdskada:5|fel medicin:5|fel mediciner:5|fel tabletter:5|fel läkemedel:5|
			fel dos:4|fel dosett:5|dosett:2.5|glömde ge:3|glömt ge:3|glömde att ge:3|fick ingen medicin:3|missade medicinen:3|insulin:2|
			insulinspruta:3|inget insulin:4|ingen insulin:4|*insulin:2|blodsocker:2|=signerat:3|=signerade:3|kvällstabletter:2|morgontabletter:2|
			brännskada:4|brännskador:4|=skadade sig:3|=skadat sig:3|inte sin insulin:4|inte sitt insulin:4|inte sin medicin:4|inte sina mediciner:4|inte sina tabletter:4|fick inte sina:2|larmet besvarades inte:4|ingen svarade på larmet:4|trygghetslarmet:1|utan tillsyn:3|ingen tillsyn:3|tillsyn:1.5|korttidsboende:1|korttidsboendet:1|farligt:1|medicin:1|mediciner:1|tabletter:1|läkemedel:1|fallolycka:5|ramlade:2.5|trillade:2.5|föll:2|låg på golvet:3|
			blåmärke:2|blåmärken:2|liggsår:5|trycksår:5|vanvård:4|missförhållande:4|akuten:1.5|sjukhus:1|
			hemtjänst:1|hemtjänsten:1|boendet:1|äldreboende:1|personalen:1|sköterska:1|sköterskan:1|undersköterska:1|vårdtagare:1|brukare:1|
			wrong medication:5|found on the floor:4|lying on the floor:4|on the floor:2|alarm was not answered:4|not answered:1|=alarm:1|did not get her medicine:4|did not get his medicine:4|wrong medicine:5|wrong pills:5|given the wrong:3|pills:1|=fell:2|bedsore:5|bedsores:5|home care:1|staff:1|hospital:1`,
		settings: `dom opieki|domu opieki|domu seniora|opiekunka|opieka domowa|vanhainkoti|vanhainkodissa|hoivakoti|hoivakodissa|kotihoito|palvelutalo|دار المسنين|دار رعاية|الرعاية المنزلية|خانه سالمندان|
			^hemtjänst|hemtjänsten|äldreboende|*boendet|särskilt boende|särskilda boendet|särskilda boende|^korttidsboende|korttids|blöja|blöjan|blöjor|inkontinensskydd|larm|larmet|daglig verksamhet|dagliga verksamheten|^dagverksamhet|dement|dementa|^demenssjuk|korttidsvistelse|^vårdboende|vårdboendet|boendes|gruppbostad|gruppbostaden|servicebostad|^demensavdelning|demensboende|lss|
			personlig assistans|assistenten|assistenterna|^nattpatrull|^nattpersonal|undersköterska|undersköterskan|sjuksköterska|sjuksköterskan|vårdtagare|brukare|
			trygghetslarm|trygghetslarmet|larmknappen|kvällsbesök|kvällsbesöket|morgonbesök|morgonbesöket|nattbesök|nattbesöket|lunchbesök|lunchbesöket|tillsynsbesök|^taklyft|liften|förflyttningen|^signeringslist|dosett|dosetten|hemsjukvården|vårdpersonalen|omsorgspersonalen|
			care home|nursing home|home care|home help|carer|carers|care staff|the staff|residents|resident's|assisted living|care worker|night staff|nursing staff|sheltered housing|group home|supported living|dementia|dementia unit`,
		acts: `locked out|left outside|forgot the key|forgotten the key|väntade över|väntade i över|kom dom inte|kom de inte|ingen har kommit|har ingen kommit|låg ensam|fick ett anfall|gått ensam|gick ensam|utelåst|låst ute|låstes ute|stängdes ute|lämnades ensam|lämnades hon ensam|lämnades han ensam|lämnad ensam|lämnats ensam|lämnade henne ensam|lämnade honom ensam|nie dostała|nie dostał|upadła|upadł|kaatui|ei saanut|لم تحصل على|لم يحصل على|سقطت|
			föll|fallit|ramlade|ramlat|trillade|snubblade|halkade|tappade min|tappade henne|tappade honom|*på golvet|blev liggande|låg kvar|sårig|skrek av smärta|smärta|smärtor|blodpropp|lunginflammation|urinvägsinfektion|allergisk reaktion|i hans plan|i hennes plan|genomförandeplanen|utan att använda|ingen dök upp|dök upp först|kissat på sig|bajsat på sig|frös|olåst|spisen på|blev sittande|satt kvar|låg kvar|missat besök|missade besök|missat tre besök|uteblivna besök|uteblev|
			utan mat|ingen mat|utan sina mediciner|utan medicin|uttorkad|uttorkning|svalt|hungrig|inte fått äta|hjälp att äta|inte ätit|inte druckit|*inte fått sina mediciner|*inte fått sin medicin|inte fått sina tabletter|inte fått sitt insulin|inte fått sin insulin|inte fått mat|inte fått någon mat|fick inte sina tabletter|fick inte sin medicin|*fick inte sina mediciner|annan boendes|någon annans|annans tabletter|
			öppet sår|*såret|sår på|infekterat|infektion|blåmärke|blåmärken|blåa märken|blå märken|bröt|brutit|slog i huvudet|*skrapsår|bula|bulor|*blåsor|brännblåsor|skållad|*sår|omläggning|ordinerade|ordination|hittades liggande|aldrig blev av|blev aldrig av|uteblivet besök|fraktur|hjärnskakning|slet i|skrek på|märken på|ingen berättade|ingen informerade|inte dokumenterat|
			låste in|låst in|inlåst|gick ut ensam|tog hårt|hårdhänt|hårdhänta|dubbla doser|dubbel dos|dubbeldos|signerat|
			=fell|fell over|had a fall|on the floor|left alone|in pain|dose|overdose|by mistake|nobody noticed|no one noticed|walked out|wandered off|found outside|not been given|not given|wasn't given|was not given|could not find|left sitting|left lying|left her|left him|crying|wet sheets|sores|rash|bruise|bruises|forgot to give|another resident's|
			ambulance|dropped her|dropped him|roughly|not fed|no food`,
		against: `fantastisk:-6|fantastiska:-6|underbar:-6|underbara:-6|tack till:-6|vill berömma:-6|så fint:-3|ni är guld:-6|guld värda:-6|wonderful:-6|amazing:-6|thank you to:-6`,
		min:     5,
		note:    "Möjlig avvikelse enligt HSL/SoL – ska utredas i avvikelsehanteringen, inte som synpunkt.",
		reply:   "Tack. Ditt meddelande har lämnats till den som ansvarar för avvikelsehantering.",
	},
	ClassAbuse: {
		vocab: `kiusaaminen:5|kiusattu:5|kiusataan:5|kiusaavat:5|تنمر:5|التنمر:5|nękanie:5|prześladowanie:5|
			kränkning:5|kränkt:5|kränkande:5|kränkande särbehandling:5|*mobbad:5|*mobbning:5|*mobbar:5|*mobbas:5|elaka kommentarer:3|
			skriker åt:3|skrek på:3|skriker på:3|drar honom:2|drar henne:2|ryckte:2|nyp:2|nöp:2|trakasserad:5|
			trakasserier:5|diskriminerad:5|diskriminering:5|rasistisk:4|rasistiska:4|slagen:3|slog:2.5|sparkade:2.5|knuffade:2.5|
			skrek åt:3|drog henne:2|drog honom:2|hårt i armen:3|elaka saker:3|kallad:1.5|kallar:1|fula saker:2|utfryst:4|fryser ut:4|
			=hotad:4|=hotade:3|gruppchatt:1.5|rädd att gå:2|orkar inte:1.5|vill inte gå till skolan:2|
			klass:1|klassen:1|rasterna:1|rasten:1|skolan:1|förskolan:1|lärare:1|lärarna:1|pedagog:1|chef:1|kollegor:1|arbetsplatsen:1|
			bullied:5|pushed:2|racist names:5|called names:3|called him names:3|called her names:3|bullying:5|harassed:5|harassment:5|discrimination:5|racist:4|hit by:2`,
		settings: `8an|9an|7an|6an|مدرسة|المدرسة|التلاميذ|المعلمون|الصف|szkole|szkoły|klasie|nauczyciel|koulussa|luokalla|opettaja|
			^skola|skolan|*skolan|*skolans|klass|klassen|^klasskamrat|^klasskompis|elev|elever|eleverna|^lärare|läraren|lärarna|^förskola|förskolan|*förskolan|
			^förskollärare|pedagog|pedagogen|fröken|fritids|^fritidspersonal|rast|rasterna|rasten|^skolgård|^förskolegård|^omklädningsrum|rektor|rektorn|^skolbuss|korridoren|
			i nian|i åttan|i sjuan|årskurs|mellanstadiet|högstadiet|
			school|classmates|classmate|teacher|principal|teachers|after-school|class|pupils|pupil|preschool|playground|grade`,
		against: `kändes tryggt:-6|bra hanterat:-6|tog hand om det:-4|vill berömma:-6|tack till:-6|fantastisk:-6|fantastiska:-6|underbar:-6|underbara:-6|mot mobbning:-6|mot kränkningar:-6|mot kränkande behandling:-6|likabehandlingsplan:-6|likabehandlingsplanen:-6|against bullying:-6|anti-bullying:-6`,
		acts: `får aldrig vara med|skrattar när|skrattade när|hans kläder|hennes kläder|grova saker|inför de andra|inför andra barn|inför klassen|utesluten från|blir utesluten|härmar henne|härmar honom|tiktok|tar bilder|tog bilder|lägger ut|lade ut|la ut|lägger upp|la upp|på snap|snapchat|يسخرون|سخروا|ضربه|ضربها|ضربوه|wyśmiewają|śmieją się|pobili|popychają|lyövät|löi|nauravat|
			utfrusen|utfrysta|utfrysning|fryses ut|får inte vara med|får inte leka|ingen får leka|hånade|hånar|hånad|retad|retas|retar|retade|gör narr|skrattade åt|skrattar åt|
			slog|slagen|sparkade|sparkad|knuffad|knuffade|knuffar|nedtryckt|tryckte ner|dunkat|dunkade|fasthållen|höll fast|spred filmen|spred bilder|spred bilden|sprider bilder|spred rykten|sprider rykten|
			sociala medier|hotar att slå|hotade att slå|hotar honom|hotar henne|hotar mig|hotade honom|hotade henne|hotade mig|hotfulla|spöa|stryk|elaka|elakt|stänger in|stängde in|låste in|bög|hora|svartskalle|tar hans saker|tar hennes saker|tog hans|tog hennes|
			får höra|gjorde narr|gjort narr|inför hela klassen|inför alla|*knuffad|*knuffade|*sparkad|tvingar|tvingade|tvingat|slå honom|slå henne|slår honom|slår henne|nakenbilder|nakenbild|kränkande bilder|ensam i ett rum|som straff|straffade|utskrattad|utskrattade|skrattar ut|skrattade ut|tönt|töntig|hon är ful|han är ful|är tjock|är fet|dum i huvudet|idiot|drog min|drog honom|drog henne|slet i|=bet|biten|bitet|bits|nerslagen|nedslagen|spottar|spottade|skolka|skolkar|hjärnskakning|
			excluded|grabbed|shouted at|yelled at|screamed at|loser|laughed at|spitting|spat|slurs|calling him|calling her|call him names|call her names|calls him names|calls her names|take his|took his|take her|took her|making fun|make fun|mean memes|mean messages|mean comments|shoved|kicked|punched|threatened|teased|mocked|beaten`,
		min:   5,
		note:  "Anmälan om kränkande behandling eller särbehandling – hanteras enligt rutinen för sådana anmälningar, inte som synpunkt.",
		reply: "Tack. Ditt meddelande har lämnats till den som hanterar anmälningar om kränkande behandling.",
	},
	ClassPolitical: {
		vocab: `citizens' proposal:5|citizen proposal:5|formal proposal:3|din majoritet:3|kuntalaisaloite:5|kuntalaisaloitteena:5|kuntalaisaloitteen:5|aloitteen:2.5|kunnanvaltuutetut:3|valtuutetut:2|aloite:2.5|valtuusto:2|valtuustossa:2|kunnanvaltuusto:2|inicjatywa obywatelska:5|
			motion:2.5|motion till kommunfullmäktige:5|medborgarförslag:2.5|medborgarförslag om:5|mitt medborgarförslag:5|vårt medborgarförslag:5|härmed:2.5|öppet brev:4|namninsamling:5|namninsamlingen:5|namnunderskrifter:5|namnlistor:5|open letter:4|petition:5|signatures:2|interpellation:5|fullmäktige:1.5|kommunfullmäktige:1.5|partiet:2.5|partiets:2.5|=väljare:2.5|=väljarna:2.5|
			yrkar:3|yrkande:2.5|ledamot:2|partiförening:4|partiföreningen:4|inför valet:3|medlemsmöte:2|vallöften:3|
			vallöfte:3|rösta:2|rösta på:3|valet:2|kandidat:2.5|majoriteten:2|oppositionen:2.5|koalitionen:2.5|styrande:1.5|pressmeddelande:3|
			debattartikel:3|partiprogram:4|valrörelse:4|kommunalråd:1.5|partikamrat:4|fullmäktigegrupp:4|
			party:1|voters:2.5|vote no:3|vote yes:3|urge you to vote:4|councillors:2|council meeting:2|amendment:3|green party:3|local branch:2|=majority:1.5|election:2|campaign:2|press release:3`,
		settings: `^kommunfullmäktige|^fullmäktige|^kommunstyrelse|kommunstyrelsens ordförande|ordföranden|nämndens ordförande|nämndsammanträdet|politiker|politikerna|politikernas|
			partier|partierna|*partiet|*partiets|moderaterna|socialdemokraterna|centerpartiet|liberalerna|kristdemokraterna|sverigedemokraterna|miljöpartiet|vänsterpartiet|
			förtroendevalda|kommunalråd|kommunalrådet|gruppledare|gruppledaren|ledamöter|ledamöterna|majoriteten|
			the council to|municipal council|council meeting|=councillors|=councilors|councilors|politicians|parties|executive board|ruling|mayor|party`,
		acts: `höja skatten|höja kommunalskatten|motiverar du|motiverar ni|föreslår att|kräver att|ändrar beslutet|ändra beslutet|ändrar sitt beslut|ompröva|omprövar|river upp|riva upp|upphäva|tänka om|stoppa|stoppar|rösta|röstade|röstar|
			namninsamling|namnunderskrifter|namnlistor|upprop|öppet brev|uppmanar|beslutar att|fattar beslut|tar beslut|förklara er|vad tycker|tycker om|ta upp frågan|
			lägga ner förslaget|lägg ner|backa|avgå|avgår|ta ansvar|tar ansvar|skandal|skandalen|sänk skatten|höj skatten|slösa|slösar|slöseri|som styr|försvara|försvarar|hur kan ni|utreder|utreda|skäms|skäm|arvoden|arvode|svek|lovade|
			petition|referendum|folkomröstning|resign|step down|call on|adopt|resolution|reverse|reconsider|overturn|scrap|withdraw|justify|urge you|open letter|vote|voted|signatures`,
		// A citizen asking how to make a proposal has not made one.
		against: `hur gör man för att lämna:-6|hur lämnar man:-6|hur gör jag för att lämna:-6|hur lämnar jag:-6|hur skriver man:-4|how do i submit:-6`,
		min:     5,
		note:    "Inkommet till synpunktsbrevlådan. Politisk karaktär – ingen synpunkt, för hantering hos kansliet.",
		reply:   "",
	},
}

// compileBuiltinProcesses adds one exclusion spec per built-in class: its
// destination, note and reply from the configured class of the same name
// when there is one, else the registry (public documents) or the triage
// unit's manager, who sees the message and passes it on. A request for
// public documents sent to the registry is copied to the triage unit's
// manager, so the contact center sees it too.
func (c *Classifier) compileBuiltinProcesses(s config.ClassifySettings) {
	for _, class := range []string{ClassPublicDocuments, ClassIncident, ClassAbuse, ClassPolitical} {
		bp := builtinProcesses[class]
		x := config.Exclusion{Class: class, Destination: c.units[c.triage].Manager, Note: bp.note, Reply: bp.reply}
		if class == ClassPublicDocuments && s.Registry != "" {
			x.Destination = s.Registry
		}
		for _, cx := range s.Exclusions {
			if cx.Class == class {
				x.Destination, x.Note, x.Reply = cx.Destination, nonEmptyOr(cx.Note, bp.note), cx.Reply
			}
		}
		spec := exclusionSpec{x: x, min: bp.min, terms: processTerms(bp.vocab), builtin: true, first: class == ClassPublicDocuments,
			settings: cueTerms(bp.settings, true), acts: cueTerms(bp.acts, false), against: processTerms(bp.against)}
		if class == ClassPublicDocuments && x.Destination != c.units[c.triage].Manager {
			spec.copy = c.units[c.triage].Manager
		}
		c.exclusions = append(c.exclusions, spec)
		// A configured keyword of the class is outweighed by the same
		// signs that the message is something else.
		for i := range c.exclusions {
			if !c.exclusions[i].builtin && c.exclusions[i].x.Class == class {
				c.exclusions[i].against = spec.against
			}
		}
	}
}

// processTerms parses a class's vocabulary: whole words (wholeWords),
// except entries marked "*", which also match as a compound's last part
// ("*mobbning" in "nätmobbning").
func processTerms(table string) []weighted {
	var out []weighted
	for _, e := range entries(table) {
		compound := strings.HasPrefix(e, "*")
		ws := parseWeighted(strings.TrimPrefix(e, "*"))
		if compound {
			for i := range ws {
				ws[i].term.noPre = true
			}
		} else {
			ws = wholeWords(ws)
		}
		out = append(out, ws...)
	}
	return out
}

// cueTerms parses a list of setting or act cues ("a|b c|*d|^e"): settings
// match inflections and as a compound's head ("äldreboendet" ~
// "boendet"), entries marked "^" also as its first part ("hemtjänst" in
// "hemtjänstpersonalen"); acts as processTerms.
func cueTerms(list string, setting bool) []weighted {
	var out []weighted
	for _, e := range entries(list) {
		switch {
		case setting:
			ws := parseWeighted(strings.TrimPrefix(e, "^") + ":1")
			for i := range ws {
				ws[i].term.noPre = !strings.HasPrefix(e, "^")
			}
			out = append(out, ws...)
		default:
			out = append(out, processTerms(e+":1")...)
		}
	}
	return out
}

// wholeWords makes terms match whole words and their inflections only:
// a built-in sign of another process must not hide in a compound.
func wholeWords(ws []weighted) []weighted {
	for i := range ws {
		ws[i].term.noPre = true
		for j := range ws[i].term.words {
			ws[i].term.words[j].whole = true
		}
	}
	return ws
}

func nonEmptyOr(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
