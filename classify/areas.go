package classify

// The built-in topic areas. Each area has a vocabulary (everyday words,
// short forms, slang, compounds and English, "word:weight" as in
// builtin.go) and anchors: the words that, in a unit's name, aliases or
// keywords, say the unit handles the area ("Biblioteket" → bibliotek,
// "Gatu- och parkenheten" → gata and park). An administrator never has
// to name an area: inferAreas reads it from the config as written.

// area is one built-in topic area.
type area struct {
	vocab   string // "word:weight|…"
	anchors string // "word|…": in a unit's name, alias or keyword, the unit has the area
	// committee holds anchors read from the unit's committee only when
	// the unit's own name and keywords named no area.
	committee string
}

// builtinAreas is the topic knowledge of common municipal areas, by name.
var builtinAreas = map[string]area{
	"kontaktcenter": {
		vocab: `kommunarkiv:3|kommunarkivet:3|släktforska:2.5|släktforskning:2.5|nyinflyttad:2.5|ny invånare:2.5|suomeksi:2|asioida:2|kunnan kanssa:2.5|=registrator:3|=registratorn:3|registraturen:3|diariet:2.5|diarienummer:2.5|begärde ut:2|allmän handling:2|allmänna handlingar:2|telefontider:2.5|öppet i telefonen:3|kommunens telefon:3|ringa kommunen:2|nå kommunen:2|mina sidor:2.5|självservice:2|digital brevlåda:2.5|kivra:2.5|tolk:1|tolken:1|klarspråk:2|lätt svenska:2|call the council:2|interpreter:2|
			kontaktcenter:3|växeln:2.5|telefonväxel:3|kundtjänst:2.5|medborgarservice:3|servicecenter:3|kommunhuset:2|reception:2|
			hemsida:2.5|hemsidan:2.5|webbplats:2.5|webbsida:2.5|kommunens sida:2|e-tjänst:2|etjänst:2|e-tjänsten:2|formulär:1|blankett:1.5|
			bankid:2|logga in:2|inloggning:2|chatt:2|chatten:2|telefontid:2.5|telefonkö:3|kö i telefon:3|ringde kommunen:2|ingen svarade:1|
			nyhetsbrev:2|informationsblad:1.5|kommunens app:2|sociala medier:2|facebook:1.5|instagram:1.5|länk:1|länken:1|trasiga länkar:2|
			protokoll:1.5|kommunstyrelse:1|intyg:1|mottagningskvitto:2.5|kvitto:1|kommunalskatt:1.5|=skatt:1|synpunkt:0.5|kommunen:0.5|=ringt:0.5|
			öppettider i kommunhuset:3|kommunens information:2|svårt att hitta:1.5|hittar inte:1|tillgänglighet på webben:2|
			website:2.5|web site:2.5|homepage:2|switchboard:3|phone line:2|customer service:2.5|town hall:2|e-service:2|log in:1.5`,
		anchors:   `kontaktcentrum|kundservice|kommunservice|servicecentrum|kontakt kommunen|kommunkontakt|medborgarkontakt|kontaktcenter|kontakt center|medborgarservice|medborgarcenter|servicecenter|kundtjänst|kundcenter|växel|medborgarkontor|servicekontor|contact center|kommuninformation|kommunledning|=klk|contact centre|customer service|citizen service|medborgartjänst|=invånarservice|invånarcenter|informationsdisk`,
		committee: `kommunstyrelse|kommunledning`,
	},
	"gata": {
		vocab: `=skottar:2.5|=skottas:2.5|=skottade:2.5|=skotta:2.5|=skottat:2.5|skottning:2.5|snöskottning:3|gatljus:3|gång- och cykelväg:3|gc-bana:2.5|stenläggning:2|gatsten:2.5|refug:2.5|vägmarkering:3|hål i asfalten:3|hål i vägen:3|grusväg:2.5|enskild väg:2|buskörning:2.5|moped:1.5|mopeder:1.5|a-traktor:2.5|epatraktor:2.5|rusning:1.5|bilköer:2|trafiksituation:3|skolväg:2|skolvägen:2|road sign:2.5|traffic light:3|traffic lights:3|crosswalk:2.5|street lighting:3|snow clearance:3|salting:2.5|katu:2.5|kadun:2.5|ulica:2|شارع:2.5|الشارع:2.5|waddada:2.5|خیابان:2.5|
			=gata:0.5|=gatan:0.5|=väg:0.5|=vägen:0.5|gatukontor:3|gatlykta:3|gatubelysning:3|lykta:3|lyktstolpe:3|belysning:1.5|lampa:1.5|gatlampa:3|
			=mörkt:1|kolsvart:1.5|snöröjning:3|snöröjare:3|plogning:3|plog:3|ploga:3|plogas:3|plogat:3|plogar:3|plogbil:3|plogvall:3|=snö:2|snön:2|
			snövall:3|snöhög:2.5|snömodd:3|=modd:2.5|halka:2.5|halkan:2.5|halkbekämpning:3|=halt:1.5|isigt:2|=isen:1.5|isfläckar:2.5|ishalka:3|=sanda:2.5|sandning:2.5|
			=sandat:2.5|saltning:3|salta:2.5|grus:2|grusa:2.5|sopsand:3|gatsopning:3|sopmaskin:3|isgata:2|=backe:1.5|=backen:1.5|=backar:1.5|potthål:3|
			=grop:2|gropar:2.5|gropig:2.5|asfalt:2.5|asfaltera:3|beläggning:2|gupp:2|farthinder:3|fartgupp:3|vägbula:3|trottoar:2.5|
			kantsten:2.5|cykelbana:2.5|cykelväg:2.5|cykelstråk:2.5|cykelställ:2.5|cykelparkering:2.5|cykelpump:2|gc-väg:2.5|gångväg:2|
			gångbana:2|gångtunnel:2|parkering:2.5|parkeringsplats:2.5|p-plats:2.5|p-skiva:2.5|parkeringsbot:3|felparkering:3|felparkerad:3|
			=parkera:2|=parkerar:2|=parkerade:2|=parkerat:2|parkeringsvakt:3|laddplats:2|trafik:2|trafiken:2|trafiksäker:2.5|trafiksäkerhet:2.5|trafikljus:3|
			trafiksignal:3|rödljus:2.5|rondell:2.5|cirkulationsplats:2.5|korsning:1.5|övergångsställe:2.5|zebra:2|skylt:2|skyltning:2|
			vägskylt:2.5|vägmärke:2.5|hastighet:2|hastighetsbegränsning:3|fortkörning:2.5|kör för fort:2.5|kör fort:2|bilar kör:1.5|
			genomfart:2|tung trafik:2.5|lastbil:1|vägarbete:2.5|grävning:2|avstängd väg:2|omledning:2|dike:1.5|=vägren:2|=bro:1|
			=bron:1|viadukt:2|torget:1.5|=torg:1.5|busshållplats:1.5|busskur:2|hållplats:1|vägbelysning:3|elsparkcykel:2|elsparkcyklar:2|
			street light:3|streetlight:3|streetlights:3|lamp post:3|lamppost:3|pothole:3|potholes:3|=snow:2.5|ploughing:3|plowing:3|
			gritting:3|icy:2|parking:2.5|=road:1.5|=roads:1.5|=street:1|pavement:2|sidewalk:2.5|footpath:2|bike lane:2.5|cycle path:2.5|
			speed bump:3|speeding:2.5|traffic:2|crossing:1.5|zebra crossing:2.5|=sign:1|
			katuvalo:3|katuvalot:3|katulamppu:3|auraus:3|aurattu:3|aurata:3|streetlamp:3|street lamps:3|snow plough:3|snowplow:3|road works:2.5`,
		anchors:   `gata|gatu|stadsmiljöförvaltning|=väg|vägar|trafik|gatukontor|snöröjning|belysning|parkering|infrastruktur|stadsmiljö|gatumiljö|offentlig miljö|=tk|tekniska kontoret|tekniska förvaltningen|teknisk förvaltning|=teknik|teknikförvaltning|teknikkontor|teknik och|tekniska enheten|teknisk service|tekniska verken|samhällsteknik|street|streets|=roads|highways|=traffic`,
		committee: `teknisk|samhällsbyggnad|trafik`,
	},
	"park": {
		vocab: `=björk:2|=björken:2|=björkar:2|=björkarna:2|=lindarna:1.5|=ekarna:1.5|kommunens mark:2.5|ta ner trädet:3|=äng:1.5|=ängen:1.5|blomsteräng:2.5|alléträd:3|stubbe:2|stubbar:2|trädrot:2.5|=rötterna:1.5|=rötter:1.5|lövhög:2.5|lövräfsning:3|grillplats:3|grillplatser:3|vindskydd:2.5|naturreservat:2.5|kolonilott:3|gräsytor:3|park bench:3|flower beds:2.5|hedge:1.5|
			=park:2.5|=parken:2.5|=parker:2.5|=parkerna:2.5|=parkens:2.5|stadspark:2.5|grönområde:3|grönyta:3|gräsmatta:2.5|gräsklippning:3|klippa gräset:3|
			gräset:2|ogräs:2|rabatt:2.5|plantering:2|planteringar:2|lekplats:3|lekpark:3|gunga:2.5|gungor:2.5|gungorna:2.5|rutschkana:3|
			sandlåda:3|klätterställning:3|lekredskap:3|parkbänk:3|bänk:2|bänkar:2|bänkarna:2|=träd:1.5|=träden:1.5|=trädet:1.5|trädfällning:3|
			=fällas:1.5|=fälls:1.5|=fällt:1.5|=fällde:1.5|=fälla:1.5|=grenen:2|=grenarna:2|=gren:2|=grenar:2|=sly:2.5|buskar:2|buskage:2.5|häck:1.5|papperskorg:2.5|skräpkorg:2.5|skräp:1|klotter:3|graffiti:3|
			klottrat:3|nedklottrad:3|=tagg:2|=taggar:2|=taggen:2|=taggarna:2|tunnel:1.5|blomma:1|blomlåda:2|blomsterlåda:2|blommor:1|fruktträd:2|hundrastgård:3|
			hundrastplats:3|hundlatrin:3|hundbajs:2.5|hundpåsar:2.5|promenadstråk:2|promenadväg:2|=skog:1.5|=skogen:1.5|
			naturområde:2.5|strövområde:2.5|=dammen:1.5|ankdamm:3|fontän:2.5|löv:1.5|lövblås:2.5|odlingslott:3|koloniområde:2|parkarbetare:3|
			playground:3|swings:2.5|=slide:1.5|bench:2|benches:2|=tree:1.5|=trees:1.5|grass:2|mowing:3|dog park:3|litter bin:2|
			puisto:2.5|leikkipuisto:3`,
		anchors:   `park|parker|stadsmiljöförvaltning|grönyta|grönytor|grönområde|natur|utemiljö|skog|stadsmiljö|offentlig miljö|=tk|tekniska kontoret|tekniska förvaltningen|teknisk förvaltning|=teknik|teknikförvaltning|teknikkontor|teknik och|tekniska enheten|teknisk service|tekniska verken|samhällsteknik|=parks|green spaces`,
		committee: `samhällsbyggnad|teknisk`,
	},
	"avfall": {
		vocab: `trash:2.5|bin lorry:3|garbage truck:3|recycling centre:3|recycling station:3|bottle bank:3|jäte:3|roskat:3|kierrätys:3|glasiglo:3|glasiglon:3|=iglon:2.5|=iglo:2.5|=igloos:2.5|glasbehållare:3|glasåtervinning:3|soptipp:3|soptippen:3|=soffor:2|=soffa:2|=soffan:2|möbler:1|möbel:1|madrass:1|kylskåp:1|vitvaror:2.5|skrot:2|metallskrot:3|trädgårdsavfall:3|sortera:2.5|sortering:2.5|sorterar:2.5|källsortering:3|fyrfack:3|fyrfackskärl:3|hämtschema:3|tömningsdag:3|sopkalender:3|=slängs:2|=slängde:2|=slänga:2|=slänger:2|=slängt:1.5|glasflaskor:2|burkar:1.5|container:2.5|containern:2.5|containrar:2.5|=maskarna:1.5|=maskar:1.5|flugor:1|recycling centre:3|recycling center:3|=sofa:2|furniture:2|mattress:2|fridge:2|binmen:3|bin men:3|refuse:2.5|compost:2.5|food waste:3|jätehuolto:3|jäteastia:3|śmieci:3|odpady:3|القمامة:3|النفايات:3|qashin:3|qashinka:3|زباله:3|
			sopor:3|soporna:3|sopbil:3|sopbilen:3|sopkärl:3|sopkärlet:3|soptunna:3|soptunnan:3|soptunnor:3|sophämtning:3|sophämtare:3|
			sopgubbe:3|sopgubbar:3|sopsäck:2.5|soprum:2.5|sophus:2.5|sopnedkast:2.5|=kärl:2.5|kärlet:2.5|kärlen:2.5|=tunna:2|=tunnan:2|
			tömning:2.5|tömd:2|tömdes:2|tömma:1.5|töms:2|hämtning:1.5|hämtningsdag:3|hämtats:1|hämtade:1|grovsopor:3|grovavfall:3|avfall:3|
			matavfall:3|matavfallspåse:3|bruna påsar:3|papperspåsar:2|kompost:2.5|restavfall:3|återvinning:3|återvinningscentral:3|=åvc:3|
			=tippen:3|återvinningsstation:3|=åvs:3|glasigloo:3|igloo:2|förpackning:2|förpackningar:2|plastförpackningar:3|kartong:2|
			kartonger:2|wellpapp:2.5|tidningsinsamling:3|renhållning:3|farligt avfall:3|miljöstation:2.5|batterier:2|elavfall:3|elektronikavfall:3|
			målarfärg:2|påsar:1|nedskräpning:1|dumpat:1.5|slamtömning:3|slamsugning:3|avfallstaxa:3|sopavgift:3|renhållningstaxa:3|
			=panten:1|pant:1|
			garbage:3|=bin:2|=bins:2|recycling:3|waste:3|rubbish:3|trash:3|collection:1.5|=dump:2|
			roska:2.5|roskat:2.5|roskia:2.5|jäte:2.5|jätteet:2.5|kierrätys:3|bin collection:3|bulky waste:3`,
		anchors:   `avfallsbolag|renhållningsbolag|återvinningsbolag|kretsloppsbolag|avfallsenhet|avfall|renhållning|sophämtning|sopor|återvinning|kretslopp|returab|=waste|recycling|refuse|garbage|tekniska kontoret|tekniska förvaltningen|teknisk förvaltning|=teknik|teknikförvaltning|teknikkontor|teknik och|tekniska enheten|teknisk service|tekniska verken|samhällsteknik`,
		committee: `teknisk`,
	},
	"va": {
		vocab: `servisledning:3|servisledningen:3|vattenservis:3|golvbrunn:2|golvbrunnen:2|kommunalt vatten:3|kommunala vattnet:3|kommunalt avlopp:3|ansluta till:1.5|anslutningsavgift:3|skitvatten:3|avloppsvatten:3|bevattningsförbud:3|bevattningsförbudet:3|vattenbrist:3|spara vatten:3|vattna:1|hosepipe ban:3|water supply:3|water outage:3|water is turned off:3|water turned off:3|no water:3|water main:3|vattenpost:3|vattenposter:3|dricksfontän:3|dricksvattenfontän:3|vattenkiosk:3|vattenautomat:2.5|spolbil:3|ledningsnät:3|vattenverk:3|vattenverket:3|vattenförbrukning:3|förbrukning:1.5|mätarbyte:3|=rören:2|=röret:2|stopp i toaletten:3|kokning:2|legionella:3|hårt vatten:2.5|vattnet smakar:3|vattnet luktar:3|klorsmak:3|water bill:3|=pipes:2|flooding:2|blocked drain:3|manhole:3|vesi:2|vettä:2|woda:2|wody:2|المياه:2.5|مياه:2.5|biyaha:2.5|آب:2|
			vatten:2|vattnet:2|dricksvatten:3|kranvatten:3|vattenkvalitet:3|vattenläcka:3|läcka:1.5|rörbrott:3|vattenledning:3|
			vattentryck:3|vattenavstängning:3|avstängt vatten:3|inget vatten:3|smakar konstigt:2|brunt vatten:3|missfärgat:2.5|kalk:2|
			avlopp:3|avloppet:3|avloppsvatten:3|avloppsledning:3|spillvatten:3|stopp i avloppet:3|reningsverk:3|pumpstation:3|brunn:2.5|
			brunnen:2.5|brunnar:2.5|brunnslock:3|dagvatten:3|dagvattenbrunn:3|gatubrunn:3|översvämning:2.5|översvämmad:2.5|översvämmat:2.5|
			vatten i källaren:3|källaren:1.5|vattenmätare:3|=mätaren:1.5|=va:3|va-taxa:3|va-avgift:3|vattenavgift:3|vattenräkning:3|
			anslutningsavgift:2.5|kokningsrekommendation:3|koka vattnet:3|klor:2|vattentorn:3|brandpost:3|kran:1.5|enskilt avlopp:2|
			=water:2|tap water:3|drinking water:3|sewage:3|sewer:3|drain:2.5|drains:2.5|floods:1.5|flooded:2|water pressure:3|water meter:3|burst pipe:3|
			vesijohto:3|viemäri:3|water pressure:3|sewer:3|sewage:3|=drain:2|tap water:3|water main:3`,
		anchors:   `vattenbolag|vattenförsörjning|vattentjänst|vattenenhet|vattenavdelning|vatten|avlopp|=va|vattenverk|va-enhet|=water|sewage|sewer|wastewater|tekniska kontoret|tekniska förvaltningen|teknisk förvaltning|=teknik|teknikförvaltning|teknikkontor|teknik och|tekniska enheten|teknisk service|tekniska verken|samhällsteknik`,
		committee: `teknisk|vatten`,
	},
	"bygglov": {
		vocab: `planning permission:3|detailed plan:3|rakennan:2.5|rakentaa:2.5|luvan:2|lupa:2|bygga en brygga:3|bygga brygga:3|radhus:1.5|mätstickor:2.5|detaljplanen:3|kulturmiljö:2|=fönster:1|=fönstren:1|window:1.5|windows:1.5|=drawings:2|samråd:3|samrådsmöte:3|samrådet:3|planförslag:3|planarbete:3|planprogram:3|stadsplanering:3|bostadsbyggande:3|nya bostäder:2.5|bostadsområde:2|exploatering:2.5|byggnation:2.5|byggnationen:2.5|byggplaner:3|höghus:2.5|=villor:1.5|villatomt:2.5|tomtkö:3|fönsterbyte:3|byta fönster:2.5|byta fönstren:2.5|fasadfärg:2.5|kulör:2|takbyte:2.5|bygglovshandläggare:4|grannehörande:3|grannhörande:3|grannyttrande:3|=lov:1.5|skymmer:2|stödmur:2.5|=rivning:2.5|=rivningen:2.5|strandskyddsdispens:4|dispens:2planera för:1.5|building department:4|planning department:4|planning office:4|building application:4|construction permit:4|zoning plan:3|detailed plan:3|housing development:3|pozwolenie na budowę:4|مجوز:2.5|ساختمانی:2.5|رخصة بناء:4|ترخيص:2|ruqsad:2.5|
			bygglov:4|bygglovet:4|bygglovsansökan:4|marklov:3.5|rivningslov:3.5|bygga:1.5|bygge:2|bygget:2|byggnad:1.5|attefall:3|
			attefallshus:3|attefallsåtgärd:3|friggebod:3|komplementbyggnad:3|=altanen:2|=altaner:2|altanbygge:2|=altan:2|garage:1.5|carport:2.5|uterum:2.5|inglasning:2.5|
			tillbyggnad:3|nybyggnad:2.5|påbyggnad:2.5|takkupa:3|fasad:2|fasadändring:3|staket:2|plank:2|=mur:1.5|startbesked:3|slutbesked:3|
			kontrollplan:3|detaljplan:2.5|planbesked:3|översiktsplan:2.5|strandskydd:3|ritning:2|ritningar:2|nybyggnadskarta:3|svartbygge:3|
			olovligt byggande:3|bygger utan lov:3|byggsanktionsavgift:3|tomtgräns:2|fastighetsgräns:2.5|tomt:1.5|solceller:1.5|
			bostadsanpassning:3|bostadsanpassningsbidrag:3|lantmäteri:2|strandnära:1.5|
			building permit:4|planning permission:4|extension:2|zoning:2.5|=shed:1.5|
			solpaneler:2.5|solpanel:2.5|solar panels:2.5|solar panel:2.5|=permit:2.5|planning permission:3|utan lov:3|byggt utan:3|rakennuslupa:3`,
		anchors:   `planavdelning|planenhet|plankontor|planering och bygg|byggförvaltning|byggkontor|byggenhet|byggavdelning|byggnadskontor|byggnadsförvaltning|byggnadsnämnd|byggnämnd|bygglov|bygg|byggnad|=plan|stadsbyggnad|samhällsbyggnad|lantmäteri|bostadsanpassning|=sbf|=sbk|=sbn|=mbk|=mbn|=mbf|building permit|building permits|planning and building|=planning`,
		committee: `bygg|samhällsbyggnad|stadsbyggnad`,
	},
	"miljo": {
		vocab: `inspektör:2.5|inspektören:2.5|inspektörerna:2.5|livsmedelsinspektör:3|livsmedelskontroll:3|livsmedelstillsyn:3|food inspection:3|food inspector:3|health inspector:3|luftkvaliteten:4|eget avlopp:4|egna avlopp:4|enskilda avlopp:4|avloppsinventering:4|luftmätning:3|luftföroreningar:3|avgaser:2|tomgångskörning:3|huller om buller:0|construction noise:3|drilling:2|noisy:2.5|loud music:2.5|livsmedelsanläggning:3|livsmedelsregistrering:3|sälja mat:2.5|magsjuk:2.5|magsjuka:2.5|ventilation:2.5|ventilationen:2.5|inomhusmiljö:3|inomhusluft:3|fuktskada:3|fuktskador:3|silverfisk:2.5|=myrorna:1.5|=myror:1.5|måsar:1.5|hundskall:2|=skällande:2|bullrig:2.5|högljudd:2|ljudnivå:1.5|byggbuller:3|trafikbuller:3|luftföroreningar:3|partiklar:2|hygienlokal:2.5|solarium:2.5|health inspector:3|food poisoning:3|noise complaint:3|damp:2|pest:2.5|pests:2.5|mice:2|cockroaches:3|smoke:2|air quality:3|melu:2.5|hałas:2.5|ضوضاء:2.5|
			miljö:2|miljöförvaltning:3|enskilt avlopp:4|enskilda avlopp:4|enskild brunn:4|egen brunn:4|brunnsvatten:4|private well:4|well water:4|septic tank:4|trekammarbrunn:4|badvatten:3|badvattnet:3|bathing water:4|bakterier:2|bacteria:2|miljökontor:3|miljöinspektör:3|hälsoskydd:3|inspektion:2|tillsyn:1.5|=bullret:2.5|=buller:2.5|bullret:2.5|
			bullrar:2.5|oljud:2|lukt:1.5|luktar:1.5|stank:2.5|stinker:2.5|=råttorna:2.5|=råtta:2.5|=råttor:2.5|=möss:2|kackerlackor:3|vägglöss:3|skadedjur:3|
			duvor:1.5|mögel:2.5|fukt:1.5|radon:3|eldning:2.5|elda:2.5|eldar:2.5|vedeldning:3|vedspis:2.5|kamin:2|=rök:2|röken:2|
			luftkvalitet:4|avgaser:2|tomgångskörning:3|=damm:1.5|=dammar:1.5|utsläpp:3|olja:2|diesel:2|kemikalier:2|förorening:3|förorenad:3|
			höns:2.5|tupp:2.5|djurhållning:2.5|gödsel:2|livsmedel:2|livsmedelskontroll:3|restaurang:2|matförgiftning:3|hygien:2|
			badvatten:3|algblomning:3|fisk:1|fiskar:1|laddstolpe:1|klimat:1.5|byggarbetsplats:1.5|fläkt:2|värmepump:2|tatuering:2|
			food truck:2|environmental:3|noise:2.5|smell:1.5|stinks:2|=rats:2.5|mould:2.5|mold:2.5|pollution:3`,
		anchors:   `miljö|hälsoskydd|miljökontor|miljöförvaltning|livsmedel|miljöinspektion|=mhk|=mhn|=mhf|=mbk|=mbn|=mbf|environment|environmental|food control`,
		committee: `miljö`,
	},
	"forskola": {
		vocab: `vid hämtningen:2.5|vid lämningen:2.5|hämtning och lämning:3|lämning och hämtning:3|esikoulussa:3|esikouluun:3|barngrupp:3|barngruppen:3|inskolning:3|ur och skur:3|uteförskola:4|sovstund:3|=vilan:1.5|mellanmål:1.5|=napp:2|=nappar:2|blöjbyte:3|ettåring:2.5|tvååring:2|treåring:2|fyraåring:2|småbarn:2|nattis:3|öppna förskolan:4|öppen förskola:4|förskolebarn:4|nursery school:4|child care:3|childcare:3|toddlers:2.5|playschool:3|päiväkoti:4|päiväkodin:4|päiväkotiin:4|przedszkole:4|przedszkola:4|روضة:4|حضانة:4|مهدکودک:4|مهد:2.5|xannaano:4|
			förskola:4|förskolan:4|förskolor:4|förskole:4|förskolegård:4|förskoleplats:4|förskollärare:3|barnskötare:3|pedagog:1.5|
			pedagoger:1.5|dagis:3.5|lekis:3|inskolning:3|barngrupp:2.5|barngruppen:2.5|barnomsorg:3|barnomsorgsplats:3|
			pedagogisk omsorg:3|dagbarnvårdare:3|planeringsdag:2|blöjor:2.5|blöja:2.5|lämning:1.5|hämtning av barn:2|
			preschool:4|kindergarten:4|daycare:4|day care:4|nursery:3|toddler:2.5`,
		anchors:   `förskola|förskole|förskolor|barnomsorg|pedagogisk omsorg|dagis|barn och utbildning|utbildningsförvaltning|bildningsförvaltning|=buf|=bun|=bou|preschool|preschools|pre-school|kindergarten|childcare|nursery`,
		committee: `barn|förskol`,
	},
	"grundskola": {
		vocab: `school lunch:3|school meals:3|klasskompis:2|klasskamrat:2|klasskamrater:2|mobbning:2.5|mobbad:2.5|mobbas:2.5|skolarbete:2.5|idrottslektion:3|simundervisning:3|skolresa:3|=klassresan:3|=klassresa:3|lägerskola:3|skolavslutning:3|skolstart:3|läsår:3|läsåret:3|skolfoto:3|elevråd:3|lektioner:1.5|halvklass:3|klasslärare:3|elevassistent:3|förskoleklass:3|school bus:3|bullying:2.5|lessons:1.5|koulun:3|kouluun:3|koulussa:3|szkoła:3|szkole:3|szkoły:3|مدرسة:3|المدرسة:3|مدرسه:3|dugsiga:3|dugsi:3|iskuulka:3|
			skola:3|skolan:3|skolor:3|grundskola:4|grundskole:4|=elev:1|elever:1.5|eleverna:1.5|=läraren:1.5|idrottslärare:2|musiklärare:2|=lärare:1.5|=lärarna:1.5|rektor:2|rektorn:2|
			=klass:1.5|klassen:1.5|klassrum:2.5|årskurs:3|lågstadiet:3|mellanstadiet:3|högstadiet:3|=fritids:3|=fritidset:3|fritidsavdelning:3|fritidspersonal:3|fritidsplats:3|fritidsavgift:3|fritidsverksamhet:3|fritidsklubb:3|fritidshem:3|fritidspedagog:3|
			läxa:2|läxor:2|läxhjälp:2.5|skolmat:2.5|skolmaten:2.5|skollunch:3|matsal:2|matsalen:2|skolgård:3|skolgården:3|=rast:2|rasten:2|
			rasterna:2|skolskjuts:3|skolbuss:3|särskilt stöd:2|elevhälsa:3|skolsköterska:3|=kuratorn:2|=kurator:2|specialpedagog:2.5|=mentor:1.5|
			utvecklingssamtal:3|betyg:2|=prov:1|vikarie:1.5|frånvaro:2|studiedag:2.5|sportlov:1|friluftsdag:2.5|termin:1.5|skolbyte:2|
			byta skola:3|skolplacering:3|skolval:3|
			school:3|pupil:2|pupils:2|teacher:1.5|teachers:1.5|homework:2.5|classroom:2.5|headteacher:2.5|principal:2|after-school:3|
			=ledighet:2.5|=ledigheten:2.5|ledighetsansökan:3|ledig från skolan:3|ledigt från skolan:3|koulu:2.5|opettaja:2.5`,
		anchors:   `grundskola|grundskole|skola|skolor|fritidshem|elevhälsa|skolskjuts|barn och utbildning|utbildningsförvaltning|bildningsförvaltning|=buf|=bun|=bou|=school|=schools|=education|compulsory school|primary school`,
		committee: `utbildning|skol`,
	},
	"gymnasium": {
		vocab: `gymnasium:4|gymnasie:4|gymnasiet:4|gymnasieskola:4|gymnasieprogram:4|gymnasiearbete:3|program:1.5|programmet:1.5|
			studiebidrag:3|antagning:2.5|gymnasieantagning:4|student:2|studenten:2.5|yrkesprogram:2.5|naturprogrammet:3|
			samhällsprogrammet:3|apl:2|busskort:1|nationella prov:1|=csn:2|
			upper secondary:4|high school:4|sixth form:3`,
		anchors:   `gymnasium|gymnasie|gymnasiet|gymnasieskola`,
		committee: `gymnasie`,
	},
	"hemtjanst": {
		vocab: `home carers:3|care visits:3|meals on wheels:3|safety alarm:3|personal alarm:3|my elderly:1.5|kotihoitaja:3|caawimaad guriga:3|larmknapp:3|trygghetslarmet:3|=rollatorn:2|=rollator:2|demenssjuk:2.5|mormor:1|farmor:1|morfar:1|farfar:1|pensionär:1|pensionärer:1|grandmother:1|grandfather:1|opieka domowa:4|opiekunka:2.5|daryeelka guriga:3|waayeelka:2.5|
			hemtjänst:4|hemtjänsten:4|hemtjänstpersonal:4|hemvård:3.5|hemsjukvård:2.5|trygghetslarm:3|larmet:1.5|matdistribution:3|
			matlåda:2.5|matlådor:2.5|mat levererad:2|biståndsbeslut:1.5|biståndshandläggare:2|omsorg:1|omsorgspersonal:2|vårdbiträde:2|
			undersköterska:1.5|dusch:1|duscha:1.5|städning:1.5|inköp:1|handla åt:2|morgonbesök:2.5|kvällsbesök:2.5|nattpatrull:3|
			tillsyn:1|kommer hem till:2|i hemmet:2|hemma hos:1.5|=ensamhet:1|
			home care:4|homecare:4|home help:4|carer:2|carers:2|evening visit:1.5|=hemma:1|
			nyckelbox:3|nyckelboxen:3|nyckelskåp:3|kotipalvelu:3|kotihoito:3|home care:3|home help:3`,
		anchors:   `hemtjänst|hemvård|ordinärt boende|hemsjukvård|äldreomsorg|vård och omsorg|äldreförvaltning|omsorgsförvaltning|=voo|=vof|=von|=äo|elderly|elder care|eldercare|home care|=omsorg|vård & omsorg`,
		committee: `social|omsorg|vård`,
	},
	"aldreboende": {
		vocab: `elderly care:3|elder care:3|dementia ward:3|dementia unit:3|visiting hours:2|residents:1.5|hoitokoti:3|vanhukset:2|vanhainkodin:4|vanhainkodissa:4|vanhainkotiin:4|hoitajat:2|trygghetsboende:3|de gamla:1|boendets:1.5|personalen på boendet:3|demenssjuka:3|alzheimer:2.5|dementia:3|old people's home:4|retirement home:3|vanhus:2.5|vanhukset:2.5|dom opieki:4|دار المسنين:4|رعاية المسنين:4|خانه سالمندان:4|سالمند:3|
			äldreboende:4|äldreboendet:4|särskilt boende:4|vård- och omsorgsboende:4|omsorgsboende:4|=boende:1.5|boendet:1.5|=demens:1.5|
			demensboende:4|demensavdelning:4|korttidsboende:3|korttids:2.5|äldreomsorg:2|avdelningen:1.5|anhöriga:1|de boende:1.5|besökstid:2|
			servicehus:2.5|gemensamhetsrum:2|boendeplats:2.5|
			nursing home:4|care home:4|residents:1.5|
			vanhainkoti:3|hoivakoti:3|care home:3|nursing home:3`,
		anchors:   `äldreboende|särskilt boende|omsorgsboende|vårdboende|äldreomsorg|demensboende|vård och omsorg|äldreförvaltning|omsorgsförvaltning|=voo|=vof|=von|=äo|elderly|elder care|eldercare|care home|nursing home|=omsorg|vård & omsorg`,
		committee: `social|omsorg|äldre`,
	},
	"ifo": {
		vocab: `drugs:2|debt:2|debts:2|food bank:2|sosiaali:2|mitt bistånd:3|mitt försörjningsstöd:4|alkoholproblem:3|alcohol:3|drinking:1.5|dricker för mycket:3|missbrukar:3|spelproblem:3|föräldrakurs:3|föräldrakursen:3|föräldragrupp:3|tonåringar:1|oro för mitt barnbarn:3|oro för mitt barn:3|orolig för mitt barnbarn:3|orolig för min son:2.5|orolig för min dotter:2.5|hjälp med hyran:3|betala hyran:2.5|ekonomisk hjälp:3|ekonomiskt stöd:3|ekonomiskt bistånd:4|söka bistånd:3|avslag på mitt bistånd:3|کمک مالی:3|اجاره:2|apua rahassa:3|المساعدة المالية:4|fältassistent:3|fältassistenter:3|fältassistenterna:3|fältarbetare:3|fältare:3|socialjour:3.5|socialjouren:3.5|familjerätt:3.5|familjerätten:3.5|vårdnad:2.5|vårdnadstvist:3|umgänge:2|föräldrastöd:3|föräldrautbildning:2.5|familjebehandling:3|barnutredning:3|orolig för barnen:3|orolig för barnet:3|droger:2|knark:2|langning:2|ungdomsgäng:2|spelberoende:3|spelmissbruk:3|behandlingshem:3|beroendemottagning:3|öppenvård:2.5|=lvm:3|barnahus:3|skyddat boende:3|misshandel:1.5|hedersrelaterat:3|ensamkommande:3|pengar till mat:3|pengar till hyran:3|mat och hyra:3|kontoutdrag:3|hyresavi:2.5|hyresavin:2.5|a-kassa:2|a-kassan:2|har inte råd:2|inga pengar:2|nödbistånd:3|family counselling:4|family counseling:4|counselling:2.5|counseling:2.5|couples therapy:3|parenting support:3|child protection:3|financial assistance:3|financial support:2.5|income support:3|addiction:3|domestic violence:3|homeless:3|youth workers:3|outreach workers:3|toimeentulotuki:4|sosiaalitoimi:4|sosiaalityöntekijä:4|pomoc społeczna:4|zasiłek:3|opieka społeczna:4|مساعدة مالية:4|الخدمات الاجتماعية:4|إعانة:3|مددکار:3|کمک هزینه:3|caawimaad:2|lacag:1.5|kirada:1.5|gargaar:2|
			socialtjänst:4|socialtjänsten:4|=socialen:3.5|=soc:3|socialkontor:3.5|socialsekreterare:4|försörjningsstöd:4|socialbidrag:4|
			ekonomiskt bistånd:4|bistånd:1.5|=familjeenhet:3|familjerådgivning:3|familjecentral:2.5|familjeomsorg:4|familjehem:3|
			familjebehandlare:3|skuldrådgivning:3|budgetrådgivning:3|skuldsanering:3|missbruk:3|beroende:1.5|alkohol:1.5|narkotika:2|
			orosanmälan:3|=lvu:3|umgängesstöd:3|våld i nära relation:3|kvinnojour:3|hemlös:3|akutboende:3|boendestöd:2|
			social worker:4|social services:4|welfare:3|benefits:2`,
		anchors:   `socialtjänst|socialförvaltning|individ|familjeomsorg|=ifo|försörjningsstöd|ekonomiskt bistånd|socialkontor|barn och familj|familj|=soc|=sof|=socialen|social services|social welfare`,
		committee: `social`,
	},
	"funktionsstod": {
		vocab: `=lss:4|funktionsnedsättning:3|funktionshinder:3|daglig verksamhet:4|dagliga verksamheten:4|gruppbostad:4|gruppboende:3.5|
			personlig assistans:4|personlig assistent:4|assistenten:2|ledsagare:3|ledsagning:3|kontaktperson:2.5|korttidsvistelse:3|
			avlösarservice:3|servicebostad:3.5|bostad med särskild service:4|autism:2|=npf:2|adhd:1.5|
			disability:3|disabled:2.5|personal assistant:3.5`,
		anchors:   `=lss|funktionsstöd|funktionsnedsättning|funktionshinder|stöd och service|daglig verksamhet|personlig assistans|handikapp`,
		committee: `omsorg`,
	},
	"fardtjanst": {
		vocab: `färdtjänst:4|färdtjänsten:4|riksfärdtjänst:4|färdtjänstresa:4|taxi:2|taxin:2|sjukresa:2.5|kollektivtrafik:3|bussen:2|
			busslinje:3|busstidtabell:3|tidtabell:2|pendeltåg:2|pendlar:1.5|
			paratransit:4|bus route:3|timetable:2`,
		anchors:   `färdtjänst|kollektivtrafik|=resor`,
		committee: ``,
	},
	"bibliotek": {
		vocab: `reading circle:3|book club:3|borrowed:2|newspapers:2|study room:2|läsecirkel:3|läsecirkeln:3|läsecirklar:3|lånetid:3|fjärrlån:3|omlån:3|låneregler:3|utlånad:2.5|utlånade:2.5|bokrea:2.5|lässtund:3|lovläsning:3|deckare:2.5|deckarna:2.5|romaner:2|lättläst:2|barnböcker:2.5|serietidningar:2|=manga:2|reservationskö:3|lånar:2|kirjoja:2.5|kirja:2|kirjat:2|biblioteka:3|książki:2.5|مكتبة:3|كتب:2.5|maktabadda:3|buugaag:2.5|
			bibliotek:4|biblioteket:4|bibblan:4|biblan:4|bibban:4|bibliotekarie:4|bibliotekarier:4|=bok:2|=boken:2|böcker:2|
			bokautomat:3|bokinkast:3|bokbuss:4|bokbussen:4|ljudbok:2.5|ljudböcker:2.5|e-bok:3|e-böcker:3|lånekort:3.5|bibliotekskort:4|
			låna:2|lånade:2|=lån:1|utlåning:3|återlämning:3|lämna tillbaka:1.5|reservation:2|reservera:2|förseningsavgift:3|
			sagostund:3|bokcirkel:3|författarbesök:3|läsesal:3|studieplats:2|studierum:2|tidningar:1.5|tidskrift:2|meröppet:3|hylla:1|
			bokhylla:2|kopiera:1|=skrivaren:1|=skrivare:1|
			library:4|librarian:4|=book:2|=books:2|e-book:3|audiobook:3|library card:4|=loan:1.5|overdue:2|borrow:2|
			filial:2.5|filialen:2.5|bokbuss:3|kirjasto:3|library:3|librarian:3`,
		anchors:   `bibliotek|library|bokbuss`,
		committee: `bibliotek`,
	},
	"idrott": {
		vocab: `sauna:2.5|ice skating:3|running track:3|tennis court:3|sports ground:3|gympasal:3|gympasalen:3|gymnastiksal:3|gymnastiksalen:3|eljusspår:3|eljusspåret:3|motionsslinga:3|simning:3|simtider:3|motionssim:3|träningstid:3|ungdomsverksamhet:2|ramp:1|rampen:1|pingis:2|bowling:2|leisure centre:3|pływalnia:4|hala sportowa:4|المسبح:4|مسبح:4|سباحة:3|dabaasha:3|barkadda:3|استخر:4|
			idrott:3|idrottsplats:3|idrottsplatsen:3|idrottshall:3|simhall:4|simhallen:4|badhus:4|badhuset:4|=badet:2.5|bassäng:3|
			simbassäng:3.5|simskola:4|simma:2|simmar:2|vattengympa:3|badvakt:3|badmästare:3|sporthall:4|omklädningsrum:2.5|motionsspår:3|
			elljusspår:3|löparbana:3|utegym:3|=gym:2|gymmet:2|fotboll:2.5|fotbollsplan:3|fotbollsplanen:3|konstgräs:3|konstgräsplan:3|
			gräsplan:2.5|innebandy:2.5|padel:2.5|padelbana:3|tennisbana:3|förening:1|föreningsbidrag:3|fritidsgård:4|fritidsgården:4|
			ungdomsgård:4|fritidsledare:3|skatepark:3|skateboard:2|ishall:3|ishallen:3|isbana:3|skridskobana:3|skridskor:2|pulkabacke:3|
			skidspår:3|längdspår:3|spårning:2.5|bastu:2.5|basketkorg:2.5|badplats:2.5|badplatsen:2.5|brygga:2|bryggan:2|hopptorn:3|
			badstrand:3|sandstrand:2|vandringsled:2.5|friluftsområde:2.5|hallbokning:3|boka hall:3|träningstider:2.5|
			swimming:4|=pool:3|sports:3|sports hall:4|football pitch:3|ice rink:3|youth centre:3|youth center:3|gym:2|
			kajak:2.5|kajaker:2.5|kanot:2.5|kanoter:2.5|kayak:2.5|kayaks:2.5|canoe:2.5|canoes:2.5|hockey:2.5|ishockey:3|istid:3|istider:3|ice time:3|ice rink:3|uimahalli:3|swimming pool:3|sports hall:3`,
		anchors:   `idrott|fritid|sport|simhall|ungdomens hus|ungdomshus|=bad|badhus|fritidsgård|friluft|motion|anläggning|ishall|arena|idrottsplats|sporthall|friskvård|=kff|=kof|=kfn|=kfu|leisure|sports|recreation`,
		committee: `fritid|idrott`,
	},
	"kultur": {
		vocab: `cinema:2.5|choir:2.5|performance:2|concerts:3|christmas show:3|kulttuuri:3|kulttuuritalo:3|näyttely:3|musiikkiopisto:3|tanssi:2|trumlärare:3|trumlektion:3|gitarrlektion:3|pianolektion:3|pianolärare:3|musiklärare:2.5|sånglärare:3|körsång:2.5|målarkurs:3|teatergrupp:3|bildkurs:3|konstutställning:3|kulturskolekö:3|culture school:4|art class:3|painting class:3|drawing class:3|music lessons:3|dance school:3|lauluilta:3|lauluiltoja:3|elokuva:2.5|elokuvia:2.5|tapahtuma:2|tapahtumia:2|konsertti:3|teatteri:3|gitarr:2.5|piano:2.5|fiol:2.5|=trummor:2|sånglektion:3|teaterkurs:3|konstkurs:3|bildskola:3|hiphop:2|kpop:2|uppträdande:2|vernissage:3|konstnär:2.5|konstnärer:2.5|art gallery:3|music school:3|dance class:3|
			kultur:3|kulturhus:3|kulturhuset:3|kulturskola:4|kulturskolan:4|musikskola:4|musikskolan:4|kulturstöd:3|kulturbidrag:3|
			konsthall:4|konsthallen:4|utställning:3|utställningen:3|konstverk:3|offentlig konst:3|skulptur:2.5|konsert:3|konserten:3|
			konserter:3|teater:3|teatern:3|barnteater:3|föreställning:3|föreställningen:3|festival:3|festivalen:3|evenemang:2.5|
			musik:2|musiken:2|=dansen:2|=dansa:2|=danser:2|=dans:2|danskurs:3|danslektion:3|instrument:2.5|lektion:1.5|=kursen:1.5|=kurser:1.5|=kurs:1.5|terminsavgift:2|
			museum:3|museet:3|hembygdsgård:3|kulturarv:3|=bio:2|biografen:2.5|film:1.5|scen:2|scenen:2|artist:2|valborg:2|
			valborgsfirande:3|nationaldag:2|nationaldagsfirande:3|midsommarfirande:2.5|julmarknad:2.5|marknad:1.5|biljett:1.5|biljetter:1.5|
			culture:3|concert:3|theatre:3|theater:3|museum:3|exhibition:3|festival:3|=art:1.5|music lessons:3`,
		anchors:   `kultur|kulturskola|musikskola|konst|museum|evenemang|=kff|=kof|=kfn|=kfu|culture|=arts`,
		committee: `kultur`,
	},
	"vuxenutbildning": {
		vocab: `komvux:4|vuxenutbildning:4|vuxenutbildningen:4|=sfi:4|svenska för invandrare:4|yrkesvux:4|lärvux:3|studievägledare:2.5|
			adult education:4|swedish for immigrants:4`,
		anchors:   `komvux|vuxenutbildning|=sfi|lärcenter`,
		committee: ``,
	},
	"raddning": {
		vocab: `räddningstjänst:4|räddningstjänsten:4|brandkår:4|brandkåren:4|brandstation:3|brandlarm:2.5|brandvarnare:3|brandsyn:3|
			sotning:3|sotare:3|brandskydd:3|tillstånd för brandfarlig:3|eldningsförbud:3|
			fire brigade:4|fire service:4|chimney sweep:3`,
		anchors:   `räddningstjänst|räddning|krisberedskap|säkerhet och beredskap|brandkår|brandförsvar|fire and rescue|rescue service|rescue services|fire service`,
		committee: `räddning`,
	},
	"fastighet": {
		vocab: `fastighet:2|fastigheter:2|lokalbokning:2|hyresgäst:3|hyresgäster:3|hyresvärd:3|hyreslägenhet:3|bostadsbolag:3|
			bostadskö:3|=lägenheter:2|=lägenheterna:2|=lägenhet:2|=lägenheten:2|trapphus:2.5|tvättstuga:3|hyra:1.5|hyran:2|värme:1.5|element:1.5|fastighetsskötare:3|
			landlord:3|=flat:1.5|apartment:2|tenant:3`,
		anchors:   `fastighet|bostad|bostadsbolag|lokalförsörjning|hyres|bostäder|hyresbostäder|housing`,
		committee: ``,
	},
	"naringsliv": {
		vocab: `näringsliv:4|företagare:3|företagsklimat:3|företagslots:3|nyföretagare:3|upphandling:3|leverantör:2|faktura:1.5|
			turism:3|turistbyrå:3|besöksnäring:3|etablering:2.5|
			business:2.5|procurement:3|tourism:3|invoice:2`,
		anchors:   `näringsliv|företag|turism|besöksnäring|tillväxt|upphandling`,
		committee: ``,
	},
	"arbetsmarknad": {
		vocab: `arbetsmarknad:4|arbetsmarknadsenhet:4|feriejobb:3.5|sommarjobb:3|praktikplats:2.5|integration:2.5|nyanlända:2.5|
			arbetslös:2.5|jobbcoach:3|
			summer job:3.5|unemployed:2.5|integration:2.5`,
		anchors:   `arbetsmarknad|integration|arbete och`,
		committee: `arbetsmarknad`,
	},
	"overformyndare": {
		vocab: `överförmyndare:4|överförmyndaren:4|god man:4|gode män:4|=förvaltare:3|ställföreträdare:3|årsräkning:3|
			guardian:3|trustee:3`,
		anchors:   `överförmyndare|överförmyndarnämnd|god man`,
		committee: `överförmyndar`,
	},
}

// areaSynonyms maps further alias names to a built-in area.
var areaSynonyms = map[string]string{
	"renhallning": "avfall", "sopor": "avfall", "vatten": "va", "halsoskydd": "miljo", "skola": "grundskola",
	"socialtjanst": "ifo", "fritid": "idrott", "simhall": "idrott", "kulturskola": "kultur", "kc": "kontaktcenter",
	"lss": "funktionsstod", "komvux": "vuxenutbildning",
}
